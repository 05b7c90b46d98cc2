// Independent references for the predecessor's file encryption, built from the Fernet spec with the
// openssl CLI only (as test/fixtures/legacy/make-encrypted-fixture.sh does), and Python's own
// `cryptography` package when it is installed. None of this uses src/.
import { execFileSync, spawnSync } from "node:child_process";

function opensslKey(passphrase: string): { sign: string; enc: string } {
  const hex = execFileSync("openssl", ["dgst", "-sha256", "-hex", "-r"], { input: passphrase })
    .toString()
    .split(" ")[0]!
    .trim();
  return { sign: hex.slice(0, 32), enc: hex.slice(32, 64) };
}

function hmacHex(signKeyHex: string, data: Buffer): string {
  const out = execFileSync(
    "openssl",
    ["dgst", "-sha256", "-mac", "HMAC", "-macopt", `hexkey:${signKeyHex}`, "-hex", "-r"],
    { input: data },
  );
  return out.toString().split(" ")[0]!.trim();
}

/** The predecessor's scheme: Fernet under urlsafe_b64encode(sha256(passphrase)), the whole file as one token. */
export function opensslFernetEncrypt(
  plaintext: string,
  passphrase: string,
  time = 1767225600,
  ivHex = "000102030405060708090a0b0c0d0e0f",
): string {
  const { sign, enc } = opensslKey(passphrase);
  const ciphertext = execFileSync("openssl", ["enc", "-aes-128-cbc", "-K", enc, "-iv", ivHex], {
    input: Buffer.from(plaintext, "utf8"),
  });
  const header = Buffer.concat([
    Buffer.from([0x80]),
    Buffer.from(time.toString(16).padStart(16, "0"), "hex"),
    Buffer.from(ivHex, "hex"),
  ]);
  const signed = Buffer.concat([header, ciphertext]);
  const mac = Buffer.from(hmacHex(sign, signed), "hex");
  return Buffer.concat([signed, mac]).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

/** Verifies the HMAC and decrypts with openssl; throws on a bad token or key. */
export function opensslFernetDecrypt(token: string, passphrase: string): string {
  const { sign, enc } = opensslKey(passphrase);
  const raw = Buffer.from(token.trim().replaceAll("-", "+").replaceAll("_", "/"), "base64");
  if (raw[0] !== 0x80) throw new Error("not a Fernet token");
  const signed = raw.subarray(0, raw.length - 32);
  if (hmacHex(sign, signed) !== raw.subarray(raw.length - 32).toString("hex")) throw new Error("HMAC mismatch");
  const iv = signed.subarray(9, 25).toString("hex");
  return execFileSync("openssl", ["enc", "-d", "-aes-128-cbc", "-K", enc, "-iv", iv], {
    input: signed.subarray(25),
  }).toString("utf8");
}

const PYTHON_FERNET = `
import base64, hashlib, sys
from cryptography.fernet import Fernet
key = base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest())
sys.stdout.write(Fernet(key).decrypt(sys.stdin.buffer.read()).decode("utf-8"))
`;

/** True when python3 with `cryptography` (the predecessor's own dependency) is available. */
export const hasPythonFernet: boolean = spawnSync("python3", ["-c", "import cryptography.fernet"]).status === 0;

/** Decrypts exactly as the predecessor does (Python cryptography.fernet). */
export function pythonFernetDecrypt(token: string, passphrase: string): string {
  return execFileSync("python3", ["-c", PYTHON_FERNET, passphrase], { input: token }).toString("utf8");
}

/** json.dumps(json.loads(text), indent=2, ensure_ascii=False): what the predecessor writes for this value. */
export function pythonJsonDumps(text: string): string {
  const script =
    "import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), indent=2, ensure_ascii=False))";
  return execFileSync("python3", ["-c", script], { input: text }).toString("utf8");
}
