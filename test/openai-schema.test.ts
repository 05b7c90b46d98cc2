import { describe, expect, it } from "vitest";
import { toOpenAPISchema } from "../src/chat/openapi-schema.ts";
import { cleanJsonSchema, isEmptyObjectSchema } from "../src/chat/schema.ts";
import { createToolNameMap, sanitizeToolName } from "../src/chat/tool-names.ts";

describe("cleanJsonSchema (parametersJsonSchema path)", () => {
  it.each<[string, unknown, unknown]>([
    [
      "drops $schema/$comment, keeps $defs/$ref",
      {
        $schema: "http://json-schema.org/draft-07/schema#",
        $comment: "c",
        type: "object",
        properties: { a: { $ref: "#/$defs/A" } },
        $defs: { A: { type: "string", $comment: "x" } },
      },
      { type: "object", properties: { a: { $ref: "#/$defs/A" } }, $defs: { A: { type: "string" } } },
    ],
    [
      "const → enum, everywhere a schema can be",
      { anyOf: [{ const: "a" }, { items: { const: 1 } }] },
      { anyOf: [{ enum: ["a"] }, { items: { enum: [1] } }] },
    ],
    [
      "property names are data, not keywords",
      {
        type: "object",
        properties: { const: { type: "string" }, $schema: { type: "string" }, title: { type: "string" } },
      },
      {
        type: "object",
        properties: { const: { type: "string" }, $schema: { type: "string" }, title: { type: "string" } },
      },
    ],
    ["non-objects pass through", true, true],
  ])("%s", (_n, input, want) => {
    expect(cleanJsonSchema(input)).toEqual(want);
  });

  it.each<[unknown, boolean]>([
    [undefined, true],
    [{}, true],
    [{ type: "object" }, true],
    [{ type: "object", properties: {} }, true],
    [{ type: "object", properties: {}, additionalProperties: false }, true],
    [{ type: "object", properties: { a: {} } }, false],
    [{ type: "string" }, false],
    [{ anyOf: [] }, false],
  ])("isEmptyObjectSchema(%j) = %s", (s, want) => expect(isEmptyObjectSchema(s)).toBe(want));
});

describe("toOpenAPISchema (parameters path)", () => {
  it.each<[string, unknown, unknown]>([
    ["empty root object → omitted", { type: "object", properties: {} }, undefined],
    [
      "zod-style: $schema, additionalProperties, $ref/$defs inlined, exclusiveMinimum dropped",
      {
        $schema: "x",
        type: "object",
        additionalProperties: false,
        properties: { user: { $ref: "#/$defs/User" }, n: { type: "integer", exclusiveMinimum: 0, format: "int32" } },
        required: ["user", "ghost"],
        $defs: { User: { type: "object", properties: { name: { type: "string", minLength: 1 } } } },
      },
      {
        type: "object",
        properties: {
          user: { type: "object", properties: { name: { type: "string", minLength: 1 } } },
          n: { type: "integer", format: "int32" },
        },
        required: ["user"],
      },
    ],
    [
      "type array with null → nullable",
      { type: "object", properties: { a: { type: ["string", "null"] } } },
      { type: "object", properties: { a: { type: "string", nullable: true } } },
    ],
    [
      "Pydantic anyOf null + title + default",
      {
        type: "object",
        properties: { a: { anyOf: [{ type: "string" }, { type: "null" }], title: "A", default: null } },
      },
      { type: "object", properties: { a: { type: "string", nullable: true } } },
    ],
    [
      "several types → anyOf",
      { type: "object", properties: { a: { type: ["string", "number"] } } },
      { type: "object", properties: { a: { anyOf: [{ type: "string" }, { type: "number" }] } } },
    ],
    [
      "oneOf → anyOf",
      { type: "object", properties: { a: { oneOf: [{ type: "string" }, { type: "integer" }] } } },
      { type: "object", properties: { a: { anyOf: [{ type: "string" }, { type: "integer" }] } } },
    ],
    [
      "allOf merged",
      {
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "number" } } },
        ],
      },
      { type: "object", properties: { a: { type: "string" }, b: { type: "number" } }, required: ["a"] },
    ],
    [
      "const → string enum; null in enum → nullable; numeric enum → description hint",
      {
        type: "object",
        properties: {
          k: { const: "x" },
          e: { enum: ["a", null] },
          n: { type: "integer", enum: [1, 2], description: "N" },
        },
      },
      {
        type: "object",
        properties: {
          k: { type: "string", enum: ["x"] },
          e: { type: "string", enum: ["a"], nullable: true },
          n: { type: "integer", description: "N (Allowed values: 1, 2)" },
        },
      },
    ],
    [
      "array without items gets string items; stray items dropped; unknown format dropped",
      {
        type: "object",
        properties: {
          l: { type: "array" },
          s: { type: "string", items: { type: "string" }, format: "email" },
          d: { type: "string", format: "date-time" },
        },
      },
      {
        type: "object",
        properties: {
          l: { type: "array", items: { type: "string" } },
          s: { type: "string" },
          d: { type: "string", format: "date-time" },
        },
      },
    ],
    [
      "MCP filesystem: additionalProperties in items",
      {
        type: "object",
        properties: {
          edits: {
            type: "array",
            items: {
              type: "object",
              properties: { old: { type: "string" } },
              additionalProperties: false,
              required: ["old"],
            },
          },
        },
      },
      {
        type: "object",
        properties: {
          edits: {
            type: "array",
            items: { type: "object", properties: { old: { type: "string" } }, required: ["old"] },
          },
        },
      },
    ],
    [
      "recursive $ref cut with a described object",
      {
        type: "object",
        properties: { node: { $ref: "#/$defs/N" } },
        $defs: { N: { type: "object", properties: { child: { $ref: "#/$defs/N" } } } },
      },
      {
        type: "object",
        properties: {
          node: {
            type: "object",
            properties: { child: { type: "object", description: "See N (recursive or unresolved reference)" } },
          },
        },
      },
    ],
    [
      "properties without type → object; if/then/not/patternProperties dropped",
      { properties: { a: { type: "string" } }, if: {}, then: {}, not: {}, patternProperties: { x: {} } },
      { type: "object", properties: { a: { type: "string" } } },
    ],
    [
      "definitions (draft-07) inlined, $ref description kept",
      {
        type: "object",
        properties: { a: { $ref: "#/definitions/A", description: "the a" } },
        definitions: { A: { type: "boolean" } },
      },
      { type: "object", properties: { a: { type: "boolean", description: "the a" } } },
    ],
  ])("%s", (_n, input, want) => {
    expect(toOpenAPISchema(input)).toEqual(want);
  });
});

describe("tool names", () => {
  it.each([
    ["get_weather", "get_weather"],
    ["mcp__srv__do.it", "mcp__srv__do.it"],
    ["srv:tool-x", "srv:tool-x"],
    ["1st", "_1st"],
    ["-x", "_-x"],
    ["a b/c@d", "a_b_c_d"],
    ["x".repeat(200), "x".repeat(128)],
  ])("sanitize(%j) = %j", (input, want) => expect(sanitizeToolName(input)).toBe(want));

  it("keeps names unique and reversible", () => {
    const m = createToolNameMap();
    expect([m.toGemini("a b"), m.toGemini("a/b"), m.toGemini("a_b"), m.toGemini("ok"), m.toGemini("a b")]).toEqual([
      "a_b",
      "a_b_2",
      "a_b_3",
      "ok",
      "a_b",
    ]);
    expect([...m.renamed]).toEqual([
      ["a_b", "a b"],
      ["a_b_2", "a/b"],
      ["a_b_3", "a_b"],
    ]);
  });
});
