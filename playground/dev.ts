// `npm run dev`: the fake Google and the proxy wired to it, so anyone can try the API offline.
import http from "node:http";
import { createGeminiProxy } from "../src/index.ts";
import { createFakeGoogle } from "../test/fake-google/index.ts";

const fake = await createFakeGoogle();
fake.addAccount({ email: "dev@example.com", scenario: "onboarded" });
const apiKey = fake.addApiKey();
const key = process.env.GEMINI_PROXY_AUTH_KEYS ?? "dev-key";

const proxy = createGeminiProxy({
  authKeys: [key],
  endpoints: fake.endpoints,
  credentials: [fake.simpleCredential("dev@example.com")],
  geminiApiKeys: [apiKey],
});
await proxy.ready();

const port = Number(process.env.PORT ?? 8889);
http.createServer(proxy.node).listen(port, "127.0.0.1", () => {
  const url = `http://127.0.0.1:${port}`;
  console.log(`\n  fake Google:  ${fake.url}`);
  console.log(`  proxy:        ${url}   (client key: ${key})\n`);
  console.log(`  curl -s ${url}/v1beta/models/gemini-2.5-flash:generateContent -H 'x-goog-api-key: ${key}' \\`);
  console.log(`    -H 'content-type: application/json' -d '{"contents":[{"parts":[{"text":"hello"}]}]}'\n`);
});
