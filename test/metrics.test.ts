// GET /metrics: Prometheus text with requests, tokens, errors by class, credentials by state and
// latency histograms; admin-only unless admin.publicMetrics.
import { expect, it } from "vitest";
import { authHeaders, describeMatrix } from "./_setup.ts";
import { ADMIN, adminHeaders, generateBody } from "./_admin.ts";

/** name{labels} → value, from the exposition text. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describeMatrix(
  "metrics",
  (fake) => {
    fake.addAccount({ email: "m1@example.com" });
    fake.addAccount({ email: "m2@example.com" });
    return {
      credentials: [fake.simpleCredential("m1@example.com"), fake.simpleCredential("m2@example.com")],
      admin: ADMIN,
    };
  },
  (h) => {
    const generate = (stream = false) =>
      h.request(`/v1beta/models/gemini-2.5-flash:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`, {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("count me"),
      });

    it("needs admin auth by default", async () => {
      const res = await h.request("/metrics");
      expect(res.status).toBe(401);
    });

    it("counts requests, tokens, errors and credentials", async () => {
      expect((await generate()).status).toBe(200);
      await (await generate(true)).text();
      h.fake.inject({ error: "invalid_argument", times: 1 });
      expect((await generate()).status).toBe(400);
      const id = h.proxy.pool.list()[1]!.id;
      await h.proxy.pool.disable(id);
      const res = await h.request("/metrics", { headers: adminHeaders() });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const m = parse(text);
      expect(
        m.get(
          'gemini_proxy_requests_total{surface="gemini",model="gemini-2.5-flash",outcome="success",stream="false"}',
        ),
      ).toBe(1);
      expect(
        m.get('gemini_proxy_requests_total{surface="gemini",model="gemini-2.5-flash",outcome="success",stream="true"}'),
      ).toBe(1);
      expect(m.get('gemini_proxy_request_errors_total{class="invalid_request"}')).toBe(1);
      expect(m.get('gemini_proxy_tokens_total{model="gemini-2.5-flash",type="total"}')).toBeGreaterThan(0);
      expect(m.get('gemini_proxy_credentials{kind="oauth",status="active"}')).toBe(1);
      expect(m.get('gemini_proxy_credentials{kind="oauth",status="disabled"}')).toBe(1);
      expect(m.get('gemini_proxy_request_duration_seconds_count{surface="gemini"}')).toBe(3);
      expect(
        m.get('gemini_proxy_upstream_first_byte_seconds_bucket{model="gemini-2.5-flash",le="+Inf"}'),
      ).toBeGreaterThanOrEqual(1);
      expect(m.get('gemini_proxy_upstream_attempts_total{result="ok"}')).toBe(2);
      expect(m.get('gemini_proxy_upstream_attempt_seconds_count{kind="oauth",outcome="success"}')).toBe(2);
      expect(m.get('gemini_proxy_upstream_attempt_seconds_count{kind="oauth",outcome="error"}')).toBe(1);
      for (const name of [
        "gemini_proxy_requests_total",
        "gemini_proxy_tokens_total",
        "gemini_proxy_request_errors_total",
        "gemini_proxy_credentials",
        "gemini_proxy_request_duration_seconds",
      ]) {
        expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, "m"));
      }
      await h.proxy.pool.enable(id);
    });
  },
);

describeMatrix(
  "metrics, public",
  () => ({ admin: { ...ADMIN, publicMetrics: true } }),
  (h) => {
    it("serves /metrics without auth when publicMetrics is set, and nothing else opens up", async () => {
      expect((await h.request("/metrics")).status).toBe(200);
      expect((await h.request("/admin/usage")).status).toBe(401);
    });
  },
);
