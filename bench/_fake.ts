// Bench child process: the fake Google, seeded, printing its coordinates as one JSON line.
import { createFakeGoogle } from "../test/fake-google/index.ts";

const keys = Number(process.env.BENCH_API_KEYS ?? 1000);
const fake = await createFakeGoogle();
fake.addAccount({ email: "bench@example.com", scenario: "onboarded", project: "bench-project" });
const apiKeys = Array.from({ length: keys }, () => fake.addApiKey());
// Streams in the bench: a 2,000-character answer in 250 chunks; on flash-lite, for the
// many-open-streams measurement, the same answer in 50 chunks 100 ms apart (Gemini's own cadence is
// a chunk every 100-300 ms), so 1,000 streams stay open together for about 5 s.
const text = "abcdefgh".repeat(250);
fake.inject({
  match: { action: "streamGenerateContent", model: "gemini-2.5-flash-lite" },
  times: Infinity,
  stream: { text, deltaChars: 40, chunkDelayMs: 100 },
});
fake.inject({ match: { action: "streamGenerateContent" }, times: Infinity, stream: { text, deltaChars: 8 } });
const account = fake.account("bench@example.com");
process.stdout.write(
  `${JSON.stringify({ url: fake.url, endpoints: fake.endpoints, credential: fake.simpleCredential("bench@example.com"), accessToken: account.accessToken, project: "bench-project", apiKeys })}\n`,
);
process.on("message", (m) => {
  if (m === "exit") void fake.close().then(() => process.exit(0));
});
