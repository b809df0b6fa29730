// Reads the official Node SDK's generated TypeScript with the TypeScript compiler API and
// prints the inventory (inventory/authing-v3.json) on stdout.
//
//   node extract.mjs <authing-node-sdk dir> <typescript package dir> <inventory dir>
//
// Only facts are extracted: names, paths, types, enum values, defaults. Comments (Authing's
// Chinese descriptions) are never read. Output is sorted so that re-running is a stable diff.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [sdkDir, tsDir, inventoryDir] = process.argv.slice(2);
if (!sdkDir || !tsDir || !inventoryDir) {
  console.error("usage: node extract.mjs <authing-node-sdk dir> <typescript dir> <inventory dir>");
  process.exit(2);
}
const ts = createRequire(import.meta.url)(path.resolve(tsDir));
const sdkPackage = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));

const parse = (file) =>
  ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
const text = (node) => node.getText();
const stringValue = (node) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
const propName = (node) =>
  ts.isIdentifier(node) || ts.isStringLiteral(node) ? node.text : text(node);

// ---------------------------------------------------------------- models and enums
const models = {};
const enums = {};

// Converts a TypeScript type node to the inventory's type notation. `owner` names the
// model field being typed, so inline string unions become a named enum `Model.field`.
function typeOf(node, owner) {
  if (!node) return { kind: "any" };
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: "string" };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: "number" };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: "boolean" };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
    case ts.SyntaxKind.TypeLiteral:
      return { kind: "any" };
    case ts.SyntaxKind.ParenthesizedType:
      return typeOf(node.type, owner);
    case ts.SyntaxKind.ArrayType:
      return { kind: "array", items: typeOf(node.elementType, owner) };
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return inlineEnum([node.literal.text], owner);
      return { kind: "any" };
    case ts.SyntaxKind.UnionType:
      return unionOf(node, owner);
    case ts.SyntaxKind.TypeReference:
      return referenceOf(node, owner);
    default:
      return { kind: "any" };
  }
}

function unionOf(node, owner) {
  const members = node.types.filter(
    (t) => !(t.kind === ts.SyntaxKind.LiteralType && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  if (members.length === 1) return typeOf(members[0], owner);
  if (members.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
    return inlineEnum(members.map((t) => t.literal.text), owner);
  }
  // Mixed unions (`Tree | string | string[]`) have no single shape on the wire.
  return { kind: "any" };
}

function referenceOf(node, owner) {
  const name = text(node.typeName);
  const args = node.typeArguments || [];
  if (name === "Array" && args.length === 1) return { kind: "array", items: typeOf(args[0], owner) };
  if (name === "Record" && args.length === 2) return { kind: "map", values: typeOf(args[1], owner) };
  if (name.includes(".")) return { kind: "enum", name };
  return { kind: "ref", name };
}

function inlineEnum(values, owner) {
  if (!owner) return { kind: "string" };
  enums[owner] = [...new Set(values)];
  return { kind: "enum", name: owner };
}

for (const file of fs.readdirSync(path.join(sdkDir, "src/models")).sort()) {
  if (!file.endsWith(".ts") || file === "index.ts") continue;
  const source = parse(path.join(sdkDir, "src/models", file));
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) {
      const name = statement.name.text;
      if (!ts.isTypeLiteralNode(statement.type)) {
        models[name] = { alias: typeOf(statement.type, name), fields: [] };
        continue;
      }
      const fields = statement.type.members.filter(ts.isPropertySignature).map((member) => {
        const wire = propName(member.name);
        return { wire_name: wire, type: typeOf(member.type, `${name}.${wire}`), required: !member.questionToken };
      });
      models[name] = { fields };
    } else if (ts.isModuleDeclaration(statement) && statement.body) {
      for (const inner of statement.body.statements || []) {
        if (!ts.isEnumDeclaration(inner)) continue;
        enums[`${statement.name.text}.${inner.name.text}`] = inner.members.map(
          (m) => stringValue(m.initializer) ?? text(m.initializer),
        );
      }
    }
  }
}

// ---------------------------------------------------------------- groups
const readTsv = (file) => {
  const [header, ...rows] = fs.readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  const keys = header.split("\t");
  return rows.map((row) => Object.fromEntries(row.split("\t").map((v, i) => [keys[i], v])));
};
const docRows = new Map(
  readTsv(path.join(inventoryDir, "api-groups.tsv")).map((r) => [`${r.method} ${r.path}`, r]),
);
const pathRules = readTsv(path.join(inventoryDir, "group-rules.tsv")).map((r) => ({
  ...r,
  regex: new RegExp(r.path_regex),
}));

// ---------------------------------------------------------------- client methods
const endpoints = [];
const excluded = [];

// Methods that are not one declared HTTP call, with the reviewed reason (exclusions.tsv).
const exclusionReasons = new Map(
  readTsv(path.join(inventoryDir, "exclusions.tsv")).map((r) => [`${r.side} ${r.sdk_method}`, r.reason]),
);
const unexplained = [];
function exclude(side, name) {
  const reason = exclusionReasons.get(`${side} ${name}`);
  if (reason) excluded.push({ side, sdk_method: name, reason });
  else unexplained.push(`${side} ${name}`);
}

function objectProps(node) {
  const out = {};
  if (!node || !ts.isObjectLiteralExpression(node)) return out;
  for (const p of node.properties) {
    if (ts.isPropertyAssignment(p)) out[propName(p.name)] = p.initializer;
    else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = p.name;
  }
  return out;
}

function findRequests(body) {
  const calls = [];
  const visit = (node) => {
    if (
      ts.isCallExpression(node) &&
      /\.httpClient\.request$/.test(text(node.expression)) &&
      node.arguments.length === 1
    ) {
      calls.push(objectProps(node.arguments[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return calls;
}

function literalDefault(node) {
  if (!node) return undefined;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isStringLiteral(node)) return node.text;
  return undefined;
}

// The `{name}` placeholders of a path template, in order.
const placeholders = (url) => [...url.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

// The SDK method's own parameters: a destructured object of named fields, a request body
// model, a form-data model, or positional strings for path placeholders.
function signatureOf(method, owner, url) {
  const args = [];
  const fields = {};
  for (const param of method.parameters) {
    if (ts.isObjectBindingPattern(param.name)) {
      const declared = {};
      for (const m of (param.type && param.type.members) || []) {
        if (ts.isPropertySignature(m)) declared[propName(m.name)] = m;
      }
      for (const el of param.name.elements) {
        const name = el.name.text;
        const member = declared[name];
        fields[name] = {
          type: typeOf(member && member.type, `${owner}.${name}`),
          required: member ? !member.questionToken : false,
          default: literalDefault(el.initializer),
        };
      }
      args.push({ kind: "fields" });
    } else {
      const name = param.name.text;
      const typeName = param.type && ts.isTypeReferenceNode(param.type) ? text(param.type.typeName) : null;
      if (name === "requestBody") args.push({ kind: "body", name, model: typeName });
      else if (name === "formData") args.push({ kind: "form", name, model: typeName });
      else {
        // A positional value fills a path placeholder of its name, or is sent as a query
        // or body field (see the request object); "value" then. The name is matched
        // ignoring case: `removeCredential(credentialId)` has the path `{credentialID}`.
        const placeholder = placeholders(url).find((p) => p.toLowerCase() === name.toLowerCase());
        if (placeholder === undefined) args.push({ kind: "value", name });
        else if (placeholder === name) args.push({ kind: "path", name });
        else args.push({ kind: "path", name, placeholder });
        fields[name] = { type: typeOf(param.type, `${owner}.${name}`), required: !param.questionToken };
      }
    }
  }
  return { args, fields };
}

// The answer's shape. The SDK's return type names the envelope model (statusCode, data) for
// almost every call. Where it names a bare model instead: under /api/v3 Authing still answers
// an envelope (the type describes its data); elsewhere the model is the whole answer.
function responseOf(method, url) {
  let t = method.type;
  if (t && ts.isTypeReferenceNode(t) && text(t.typeName) === "Promise") t = t.typeArguments[0];
  const unknown = { answer: url.startsWith("/api/v3/") ? "envelope" : "plain", response_model: null, data: { kind: "any" } };
  if (!t || !ts.isTypeReferenceNode(t)) return unknown;
  const name = text(t.typeName);
  const model = models[name];
  if (!model) return unknown;
  const isEnvelope = model.fields.some((f) => f.wire_name === "statusCode");
  if (!isEnvelope) {
    const answer = url.startsWith("/api/v3/") ? "envelope" : "plain";
    return { answer, response_model: name, response_model_enveloped: false, data: { kind: "ref", name } };
  }
  const data = model.fields.find((f) => f.wire_name === "data");
  return {
    answer: "envelope",
    response_model: name,
    response_model_enveloped: true,
    data: data ? data.type : { kind: "none" },
  };
}

function placeGroup(side, methodAndPath, previous) {
  const doc = docRows.get(methodAndPath);
  if (doc && doc.doc_group_en !== "-") {
    return { group: doc.doc_group_en, group_source: "docs", doc_page: doc.doc_page };
  }
  const p = methodAndPath.split(" ")[1];
  const rule = pathRules.find((r) => (r.side === "*" || r.side === side) && r.regex.test(p));
  if (rule) return { group: rule.group, group_source: "rule" };
  return { group: null, group_source: "neighbour" };
}

function extractClient(file, side) {
  const source = parse(path.join(sdkDir, "src", file));
  const cls = source.statements.find(ts.isClassDeclaration);
  const list = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const mods = (member.modifiers || []).map((m) => m.kind);
    if (!mods.includes(ts.SyntaxKind.AsyncKeyword)) continue;
    const name = member.name.text;
    const isPrivate = mods.includes(ts.SyntaxKind.PrivateKeyword);
    if (isPrivate && !exclusionReasons.has(`${side} ${name}`)) continue;
    const requests = findRequests(member.body);
    const req = requests[0];
    const url = req && stringValue(req.url);
    const httpMethod = req && stringValue(req.method);
    if (isPrivate || exclusionReasons.has(`${side} ${name}`) || requests.length !== 1 || !url || !httpMethod) {
      exclude(side, name);
      continue;
    }
    const owner = `${side === "management" ? "Management" : "Authentication"}.${name}`;
    const { args, fields } = signatureOf(member, owner, url);
    const params = [];
    const quirks = [];
    for (const [wire, valueNode] of Object.entries(objectProps(req.params))) {
      const arg = text(valueNode);
      const f = fields[arg] || { type: { kind: "any" }, required: false };
      params.push({ wire_name: wire, sdk_arg: arg, location: "query", type: f.type, required: f.required, default: f.default });
    }
    let requestModel = null;
    let encoding = "json";
    if (req.data && ts.isObjectLiteralExpression(req.data)) {
      for (const [wire, valueNode] of Object.entries(objectProps(req.data))) {
        const arg = text(valueNode);
        const f = fields[arg] || { type: { kind: "any" }, required: false };
        params.push({ wire_name: wire, sdk_arg: arg, location: "body", type: f.type, required: f.required, default: f.default });
      }
    } else if (req.data) {
      const bodyArg = args.find((a) => a.name === text(req.data));
      requestModel = bodyArg ? bodyArg.model : null;
    }
    const form = args.find((a) => a.kind === "form");
    if (form) {
      requestModel = form.model;
      encoding = "form";
      if (!req.data) quirks.push("declares a form argument but sends no body");
    }
    if (requestModel && models[requestModel]) {
      for (const f of models[requestModel].fields) {
        params.push({ wire_name: f.wire_name, sdk_arg: f.wire_name, location: "body", type: f.type, required: f.required });
      }
    }
    // A path parameter's wire name is its placeholder, as the path spells it.
    for (const a of args.filter((a) => a.kind === "path")) {
      const wire = a.placeholder ?? a.name;
      params.push({ wire_name: wire, sdk_arg: a.name, location: "path", type: fields[a.name].type, required: true });
      quirks.push(`sends the placeholder {${wire}} literally instead of the argument`);
    }
    for (const p of placeholders(url)) {
      if (!args.some((a) => a.kind === "path" && (a.placeholder ?? a.name) === p)) quirks.push(`has no argument for the placeholder {${p}}`);
    }
    if (req.headers) quirks.push("sets its own headers");
    const deprecated = ts.getJSDocTags(member).some((t) => t.tagName.text === "deprecated");
    list.push({
      side,
      sdk_method: name,
      http_method: httpMethod,
      path: url,
      sdk_args: args,
      params: params.map(({ default: d, ...rest }) => (d === undefined ? rest : { ...rest, default: d })),
      body_encoding: encoding,
      request_model: requestModel,
      ...responseOf(member, url),
      deprecated,
      sdk_quirks: quirks,
    });
  }
  // Groups: the docs' group; else a path rule; else the nearest grouped neighbour in the
  // SDK's source order (which is ordered by topic), preceding first.
  const placed = list.map((e) => ({ ...e, ...placeGroup(side, `${e.http_method} ${e.path}`) }));
  placed.forEach((e, i) => {
    if (e.group) return;
    const before = placed.slice(0, i).reverse().find((x) => x.group_source !== "neighbour");
    const after = placed.slice(i + 1).find((x) => x.group_source !== "neighbour");
    e.group = (before || after).group;
  });
  endpoints.push(...placed);
}

extractClient("ManagementClient.ts", "management");
extractClient("AuthenticationClient.ts", "authentication");
if (unexplained.length) {
  console.error(`not one plain HTTP call and not in exclusions.tsv (review and add a reason):\n  ${unexplained.join("\n  ")}`);
  process.exit(1);
}

// ---------------------------------------------------------------- output, sorted
const byKey = (f) => (a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
endpoints.sort(byKey((e) => `${e.side} ${e.sdk_method}`));
excluded.sort(byKey((e) => `${e.side} ${e.sdk_method}`));
const sortObject = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const inventory = {
  sdk: { name: sdkPackage.name, version: sdkPackage.version },
  endpoints: endpoints.map((e) => ({ ...e, doc_page: e.doc_page ?? null })),
  excluded,
  models: sortObject(models),
  enums: sortObject(enums),
};
process.stdout.write(JSON.stringify(inventory, null, 1) + "\n");
