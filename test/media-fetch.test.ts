// The media fetcher: address policy after DNS, pinned connections, manual redirects re-checked per hop,
// size cap, deadline and content types — against real loopback servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaFetcher, isPrivateAddress, MediaFetchError } from "../src/surfaces/_media-fetch.ts";
import { PNG, startMediaServer } from "./_openai-helpers.ts";

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["10.0.0.1", true],
    ["172.16.5.5", true],
    ["172.31.255.255", true],
    ["192.168.0.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["100.127.255.255", true],
    ["0.0.0.0", true],
    ["224.0.0.1", true],
    ["239.255.255.250", true],
    ["255.255.255.255", true],
    ["198.18.0.1", true],
    ["192.0.2.1", true],
    ["::", true],
    ["::1", true],
    ["fe80::1", true],
    ["fd12:3456::1", true],
    ["fc00::1", true],
    ["ff02::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:8.8.8.8", true],
    ["64:ff9b::10.0.0.1", true],
    ["2001:db8::1", true],
    ["not-an-ip", true],
    // NAT64 in the hex spelling URL parsers and DNS return:
    ["64:ff9b::7f00:1", true],
    ["64:ff9b::a00:1", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["64:ff9b:0:0:0:0:c0a8:1", true],
    ["8.8.8.8", false],
    ["1.1.1.1", false],
    ["172.32.0.1", false],
    ["100.128.0.1", false],
    ["142.250.74.46", false],
    ["2001:4860:4860::8888", false],
    ["2606:4700::1111", false],
    ["64:ff9b::8.8.8.8", false],
    ["64:ff9b::808:808", false],
  ])("%s → %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("createMediaFetcher", () => {
  let server: Awaited<ReturnType<typeof startMediaServer>>;
  let port = "";
  beforeAll(async () => {
    server = await startMediaServer({
      "/page.html": (_q, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html></html>");
      },
      "/untyped": (_q, res) => {
        res.writeHead(200);
        res.end(PNG);
      },
      "/big.png": (_q, res) => {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(Buffer.alloc(5000, 1));
      },
      "/slow.png": () => {},
      "/to-img": (_q, res, base) => {
        res.writeHead(302, { location: `${base}/img.png` });
        res.end();
      },
      "/to-relative": (_q, res) => {
        res.writeHead(301, { location: "/img.png" });
        res.end();
      },
      "/to-other-loopback": (_q, res) => {
        res.writeHead(302, { location: `http://127.0.0.2:${port}/img.png` });
        res.end();
      },
      "/to-v6": (_q, res) => {
        res.writeHead(307, { location: `http://[::1]:${port}/img.png` });
        res.end();
      },
      "/loop": (_q, res) => {
        res.writeHead(302, { location: "/loop" });
        res.end();
      },
    });
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  const open = createMediaFetcher({ allowPrivate: true, maxBytes: 4096, timeoutMs: 400 });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaFetchError);
    return (error as Error).message;
  };

  it("fetches an image as base64 with its content type", async () => {
    expect(await open.fetch(`${server.url}/img.png`)).toEqual({ mimeType: "image/png", data: PNG.toString("base64") });
  });

  it("sniffs an untyped body", async () => {
    expect((await open.fetch(`${server.url}/untyped`)).mimeType).toBe("image/png");
  });

  it("refuses loopback without allowPrivate, by literal and after DNS (localhost)", async () => {
    const guarded = createMediaFetcher();
    expect(await refusal(guarded.fetch(`${server.url}/img.png`))).toMatch(/private or reserved address/);
    expect(await refusal(guarded.fetch(`http://localhost:${port}/img.png`))).toMatch(/localhost resolves to a private/);
  });

  it("refuses a name when any of its addresses is private", async () => {
    const guarded = createMediaFetcher({
      resolve: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
    });
    expect(await refusal(guarded.fetch("http://mixed.example/a.png"))).toMatch(/private or reserved/);
  });

  it("connects to the checked address, not to what the name resolves to later (pinned)", async () => {
    let lookups = 0;
    // "pinned.invalid" does not exist in real DNS: the fetch only works if the socket uses our checked address.
    const pinned = createMediaFetcher({
      allowAddress: (a) => a === "127.0.0.1",
      resolve: async () => (lookups++, [{ address: "127.0.0.1", family: 4 }]),
    });
    expect((await pinned.fetch(`http://pinned.invalid:${port}/img.png`)).mimeType).toBe("image/png");
    expect(lookups).toBe(1);
  });

  it("follows redirects, absolute and relative", async () => {
    expect((await open.fetch(`${server.url}/to-img`)).data).toBe(PNG.toString("base64"));
    expect((await open.fetch(`${server.url}/to-relative`)).data).toBe(PNG.toString("base64"));
  });

  it("re-checks every redirect hop", async () => {
    const only127001 = createMediaFetcher({ allowAddress: (a) => a === "127.0.0.1" });
    expect((await only127001.fetch(`${server.url}/to-img`)).mimeType).toBe("image/png");
    expect(await refusal(only127001.fetch(`${server.url}/to-other-loopback`))).toMatch(
      /127\.0\.0\.2 resolves to a private/,
    );
    expect(await refusal(only127001.fetch(`${server.url}/to-v6`))).toMatch(/::1 resolves to a private/);
  });

  it("stops redirect loops", async () => {
    expect(await refusal(open.fetch(`${server.url}/loop`))).toMatch(/too many redirects/);
  });

  it("caps the size, answers HTTP errors, refuses non-media types, and keeps a deadline", async () => {
    expect(await refusal(open.fetch(`${server.url}/big.png`))).toMatch(/too large/);
    expect(await refusal(open.fetch(`${server.url}/missing.png`))).toMatch(/HTTP 404/);
    expect(await refusal(open.fetch(`${server.url}/page.html`))).toMatch(/text\/html/);
    const started = Date.now();
    expect(await refusal(open.fetch(`${server.url}/slow.png`))).toMatch(/within 400 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses other schemes and bad URLs", async () => {
    expect(await refusal(open.fetch("file:///etc/passwd"))).toMatch(/scheme file:/);
    expect(await refusal(open.fetch("http://"))).toMatch(/not a valid URL/);
  });
});
