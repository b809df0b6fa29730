#!/usr/bin/env node
// Records what the official Authing Node.js SDK sends for every endpoint of the inventory.
//
//   node record.js --sdk <dir of authing-node-sdk> --inventory <authing-v3.json> --out <dir>
//                  [--only side.sdkMethod,...]
//
// For each inventory endpoint it builds sample arguments from the inventory's types (the
// rule is in README.md beside this file), calls the SDK method against a loopback recorder
// and writes one fixture `<side>.<sdkMethod>.json` with what went over the wire. The output
// depends only on the inventory and the SDK: no timestamps, nonces, ports or signatures.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

const ACCESS_KEY_ID = "AK_TEST";
const ACCESS_KEY_SECRET = "SK_TEST_SECRET";
const APP_ID = "APP_ID";
const APP_SECRET = "APP_SECRET";
const USER_ACCESS_TOKEN = "USER_ACCESS_TOKEN";

// The answer to every request: a success envelope with empty data, which every SDK method
// accepts (none of them inspects `data` before returning it).
const SUCCESS = JSON.stringify({
  statusCode: 200,
  message: "ok",
  apiCode: 0,
  requestId: "conformance",
  data: {},
});

// Headers that carry Authing's protocol; the rest (host, user-agent with the Node version,
// content-length, accept-encoding, connection) belong to the HTTP client. `date` and the
// nonce change on every call, so they are left out; the signature is replaced by a marker.
const KEPT_HEADERS = (name) =>
  name === "content-type" ||
  name === "accept" ||
  name === "authorization" ||
  (name.startsWith("x-authing-") && name !== "x-authing-signature-nonce");

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const inventory = JSON.parse(fs.readFileSync(opts.inventory, "utf8"));
  const only = opts.only ? new Set(opts.only.split(",")) : null;
  const endpoints = inventory.endpoints
    .filter((e) => !only || only.has(`${e.side}.${e.sdk_method}`))
    .sort((a, b) => key(a).localeCompare(key(b)));
  if (only && endpoints.length !== only.size) {
    fail(`--only named ${only.size} endpoints, the inventory has ${endpoints.length} of them`);
  }
  const sdk = require(path.resolve(opts.sdk));
  const samples = new Samples(inventory);
  return withRecorder(async (recorder) => {
    const clients = {
      management: new sdk.ManagementClient({
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: ACCESS_KEY_SECRET,
        host: recorder.url,
      }),
      authentication: new sdk.AuthenticationClient({
        appId: APP_ID,
        appSecret: APP_SECRET,
        appHost: recorder.url,
        accessToken: USER_ACCESS_TOKEN,
      }),
    };
    fs.mkdirSync(opts.out, { recursive: true });
    const problems = [];
    for (const endpoint of endpoints) {
      try {
        const fixture = await record(clients, recorder, samples, endpoint);
        const file = path.join(opts.out, `${key(endpoint)}.json`);
        fs.writeFileSync(file, JSON.stringify(fixture, null, 2) + "\n");
      } catch (err) {
        problems.push(`${key(endpoint)}: ${err.message}`);
      }
    }
    console.log(`recorded ${endpoints.length - problems.length} of ${endpoints.length} endpoints`);
    if (problems.length) {
      fail(`${problems.length} endpoints not recorded:\n  ${problems.join("\n  ")}`);
    }
  });
}

function key(endpoint) {
  return `${endpoint.side}.${endpoint.sdk_method}`;
}

/// Calls the endpoint's SDK method with sample arguments and describes what it sent.
async function record(clients, recorder, samples, endpoint) {
  const client = clients[endpoint.side];
  if (!client) throw new Error(`unknown side ${endpoint.side}`);
  const method = client[endpoint.sdk_method];
  if (typeof method !== "function") throw new Error("the SDK has no such method");
  const args = callArguments(method, endpoint, samples);
  recorder.seen.length = 0;
  seedRandom();
  let sdkError = null;
  try {
    await method.apply(client, args);
  } catch (err) {
    sdkError = String(err && err.message ? err.message : err);
  }
  const sent = recorder.seen.splice(0);
  // The path as the inventory has it, a parameter in braces standing for any one segment.
  const template = new RegExp(
    "^" + endpoint.path.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+") + "$"
  );
  const matching = sent.filter((r) => r.method === endpoint.http_method && template.test(r.path));
  if (matching.length !== 1) {
    const what = sent.map((r) => `${r.method} ${r.path}`).join(", ") || "nothing";
    throw new Error(`expected one ${endpoint.http_method} ${endpoint.path}, sent ${what}` +
      (sdkError ? ` (the SDK said: ${sdkError})` : ""));
  }
  const fixture = {
    side: endpoint.side,
    sdk_method: endpoint.sdk_method,
    args,
    ...matching[0],
  };
  const others = sent.filter((r) => r !== matching[0]);
  if (others.length) fixture.other_requests = others;
  if (sdkError) fixture.sdk_error = sdkError;
  return fixture;
}

/// The argument list for `method`, as the inventory's `sdk_args` describe it: `fields` is
/// one object of named parameters, `body` and `form` the request model, `path` and
/// `value` the parameter whose `sdk_arg` is that name. The compiled SDK keeps the TypeScript parameter list, which must
/// agree, so a wrong inventory entry fails here instead of recording the wrong call.
function callArguments(method, endpoint, samples) {
  const params = endpoint.params || [];
  const bySdkArg = new Map();
  for (const p of params) {
    const name = p.sdk_arg || p.wire_name;
    if (!bySdkArg.has(name)) bySdkArg.set(name, p);
  }
  // An argument the SDK never sends would have no parameter in the inventory; it is
  // still passed, as the string the SDK declares it to be.
  const sample = (name) => {
    const param = bySdkArg.get(name);
    return param ? samples.value(param.type, param.wire_name) : samples.value({ kind: "string" }, name);
  };
  const sdkArgs = endpoint.sdk_args;
  if (!Array.isArray(sdkArgs)) throw new Error("the inventory entry has no sdk_args");
  const js = jsParameters(method);
  const args = sdkArgs.map((arg, i) => {
    const actual = js[i];
    const agrees =
      actual &&
      (arg.kind === "fields" ? Boolean(actual.destructured) : actual.name === arg.name);
    if (!agrees) {
      throw new Error(`sdk_args[${i}] is ${JSON.stringify(arg)}, the SDK method's parameters are ` +
        JSON.stringify(js));
    }
    switch (arg.kind) {
      case "fields":
        return Object.fromEntries(actual.destructured.map((name) => [name, sample(name)]));
      case "body":
      case "form":
        return samples.value({ kind: "ref", name: arg.model }, arg.name);
      case "path":
      case "value":
        return sample(arg.name);
      default:
        throw new Error(`unknown sdk_args kind ${JSON.stringify(arg)}`);
    }
  });
  if (js.length !== sdkArgs.length) {
    throw new Error(`the SDK method takes ${JSON.stringify(js)}, sdk_args lists ${sdkArgs.length}`);
  }
  return args;
}

/// The parameters of a compiled SDK method: `[{name}]` or `[{destructured: [names]}]`.
function jsParameters(method) {
  const source = method.toString();
  const open = source.indexOf("(");
  let depth = 0;
  let close = open;
  for (; close < source.length; close++) {
    if ("({[".includes(source[close])) depth++;
    if (")}]".includes(source[close]) && --depth === 0) break;
  }
  const list = source.slice(open + 1, close).trim();
  if (!list) return [];
  return splitTopLevel(list).map((part) => {
    const text = part.trim();
    if (text.startsWith("{")) {
      const inner = text.slice(1, text.lastIndexOf("}"));
      const names = splitTopLevel(inner)
        .map((n) => n.split("=")[0].trim())
        .filter(Boolean);
      return { destructured: names };
    }
    return { name: text.split("=")[0].trim() };
  });
}

/// Splits `text` at commas that are not inside brackets or strings.
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("({[".includes(c)) depth++;
    else if (")}]".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim());
}

/// Sample values derived from inventory types, the same every run (README.md has the rule).
class Samples {
  constructor(inventory) {
    this.models = inventory.models || {};
    this.enums = inventory.enums || {};
    this.filling = [];
  }

  value(type, name) {
    switch (type.kind) {
      case "string":
        return `${name}-1`;
      case "integer":
      case "number":
        return 1;
      case "boolean":
        return true;
      case "any":
        return { key: "value" };
      case "enum": {
        const values = type.values || this.enums[type.name];
        if (!values || !values.length) throw new Error(`enum ${type.name} has no values`);
        return values[0];
      }
      case "array":
        return [this.value(type.items, name)];
      case "map":
        return { key: this.value(type.values, name) };
      case "ref":
        return this.model(type.name);
      default:
        throw new Error(`unknown type kind ${JSON.stringify(type)}`);
    }
  }

  model(name) {
    if (this.enums[name]) return this.value({ kind: "enum", name }, name);
    const model = this.models[name];
    if (!model) throw new Error(`model ${name} is not in the inventory`);
    this.filling.push(name);
    const object = {};
    for (const field of model.fields) {
      // A model already being filled further up is not filled again (Node would recurse
      // forever): an optional field of it is left out, a required one is an empty object.
      const nested = refName(field.type);
      if (nested && this.filling.includes(nested)) {
        if (field.required) object[field.wire_name] = {};
        continue;
      }
      object[field.wire_name] = this.value(field.type, field.wire_name);
    }
    this.filling.pop();
    return object;
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function refName(type) {
  if (type.kind === "ref") return type.name;
  if (type.kind === "array") return refName(type.items);
  if (type.kind === "map") return refName(type.values);
  return null;
}

/// Runs `body` with a loopback HTTP server that records every request and answers SUCCESS.
async function withRecorder(body) {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      seen.push(describe(req, Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(SUCCESS);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    await body({ url, seen });
  } finally {
    server.close();
  }
}

/// What a request carried, with everything that varies between runs taken out.
function describe(req, text) {
  const [rawPath, rawQuery = ""] = req.url.split(/\?(.*)/s);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers).sort()) {
    if (!KEPT_HEADERS(name)) continue;
    headers[name] =
      name === "authorization" ? value.replace(/^(authing [^:]+:).*$/, "$1{signature}") : value;
  }
  const described = {
    method: req.method,
    path: rawPath,
    query: [...new URLSearchParams(rawQuery).entries()],
    headers,
    body: null,
  };
  if (text) {
    try {
      described.body = JSON.parse(text);
    } catch {
      described.body_text = text;
    }
  }
  return described;
}

/// Makes Math.random repeat the same sequence for every call, in case an SDK method puts a
/// random value (a state, a nonce) into what it sends.
function seedRandom() {
  let state = 0x2545f491;
  Math.random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    if (!["sdk", "inventory", "out", "only"].includes(name) || argv[i + 1] === undefined) {
      fail(`usage: record.js --sdk DIR --inventory FILE --out DIR [--only side.method,...]`);
    }
    opts[name] = argv[i + 1];
  }
  for (const required of ["sdk", "inventory", "out"]) {
    if (!opts[required]) fail(`--${required} is required`);
  }
  return opts;
}

function fail(message) {
  console.error(`record.js: ${message}`);
  process.exit(1);
}

main().catch((err) => fail(err.stack || String(err)));
