// Generated from server/src/modules/audit/verify-worker.ts by `npm run build:audit-worker` (scripts/build-audit-worker.ts): do not edit.

// server/src/modules/audit/verify-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// server/src/modules/audit/verify-block.ts
import { hash as hash2 } from "node:crypto";

// server/src/modules/audit/hashes.ts
import { hash } from "node:crypto";
var HASH_BYTES = 32;
var CHAIN_GENESIS = Buffer.alloc(HASH_BYTES);
var EMPTY_TREE_ROOT = hash("sha256", Buffer.alloc(0), "buffer");
function hashLeafText(text) {
  return hash("sha256", "\0" + text, "buffer");
}
var leafInput = Buffer.alloc(4096);
var nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 1;
var chainInput = Buffer.alloc(2 * HASH_BYTES);
function foldPerfect(hashes, from, width, onNode) {
  for (let n = width, level = 1; n > 1; n /= 2, level += 1) {
    for (let j = 0; j < n / 2; j += 1) {
      hashes.copy(nodeInput, 1, (from + 2 * j) * HASH_BYTES, (from + 2 * j + 2) * HASH_BYTES);
      hashes.write(hash("sha256", nodeInput, "binary"), (from + j) * HASH_BYTES, HASH_BYTES, "latin1");
      if (onNode !== void 0 && n > 2) onNode(level, j, hashes.subarray((from + j) * HASH_BYTES, (from + j + 1) * HASH_BYTES));
    }
  }
  return hashes.subarray(from * HASH_BYTES, (from + 1) * HASH_BYTES);
}
function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}
function hashFromBase64Url(text) {
  if (typeof text !== "string") return null;
  const bytes = fromBase64Url(text);
  return bytes !== null && bytes.length === HASH_BYTES ? bytes : null;
}

// node_modules/canonicalize/lib/canonicalize.js
function hasLoneSurrogate(value) {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 55296 && code <= 56319) {
      if (i === value.length - 1) {
        return true;
      }
      const next = value.charCodeAt(i + 1);
      if (!(next >= 56320 && next <= 57343)) {
        return true;
      }
      i++;
    } else if (code >= 56320 && code <= 57343) {
      return true;
    }
  }
  return false;
}
function canonicalize(object, seen = /* @__PURE__ */ new Set()) {
  if (typeof object === "number" && isNaN(object)) {
    throw new Error("NaN is not allowed");
  }
  if (typeof object === "number" && !isFinite(object)) {
    throw new Error("Infinity is not allowed");
  }
  if (typeof object === "string" && hasLoneSurrogate(object)) {
    throw new Error("Lone surrogate is not allowed");
  }
  if (object === null || typeof object !== "object") {
    return JSON.stringify(object);
  }
  if (typeof object.toJSON === "function") {
    if (seen.has(object)) {
      throw new Error("Circular reference detected");
    }
    seen.add(object);
    const result2 = canonicalize(object.toJSON(), seen);
    seen.delete(object);
    return result2;
  }
  if (seen.has(object)) {
    throw new Error("Circular reference detected");
  }
  seen.add(object);
  let result;
  if (Array.isArray(object)) {
    const values = object.map((cv) => {
      const value = cv === void 0 || typeof cv === "symbol" ? null : cv;
      return canonicalize(value, seen);
    });
    result = `[${values.join(",")}]`;
  } else {
    const parts = [];
    for (const key of Object.keys(object).sort()) {
      if (object[key] === void 0 || typeof object[key] === "symbol") {
        continue;
      }
      parts.push(`${canonicalize(key)}:${canonicalize(object[key], seen)}`);
    }
    result = `{${parts.join(",")}}`;
  }
  seen.delete(object);
  return result;
}

// server/src/modules/audit/event.ts
var FIRST_SEQ = 1;
var LEAF_FIELDS = [
  "id",
  "tenantId",
  "seq",
  "occurredAt",
  "actorKind",
  "actorId",
  "onBehalfOf",
  "sessionId",
  "deviceId",
  "sourceIp",
  "action",
  "targetType",
  "targetId",
  "phiScope",
  "decision",
  "policyIds",
  "reasons",
  "purpose",
  "justificationEnc",
  "outcome",
  "metadata"
].slice().sort();
var KEY_PREFIXES = LEAF_FIELDS.map((name, i) => `${i === 0 ? "{" : ","}"${name}":`);
var PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
function jcsString(name, value) {
  if (PLAIN_ASCII.test(value)) return '"' + value + '"';
  if (!value.isWellFormed()) throw new TypeError(`${name} is not well-formed Unicode`);
  return JSON.stringify(value);
}
function jcsMetadata(value) {
  if (typeof value.toJSON === "function") return canonicalize(value);
  const keys = Object.keys(value).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i];
    const v = value[key];
    let text;
    if (typeof v === "string" && PLAIN_ASCII.test(v)) text = '"' + v + '"';
    else if (typeof v === "boolean") text = v ? "true" : "false";
    else if (typeof v === "number" && Number.isSafeInteger(v)) text = String(v);
    else return canonicalize(value);
    if (!PLAIN_ASCII.test(key)) return canonicalize(value);
    out += (i === 0 ? '"' : ',"') + key + '":' + text;
  }
  return out + "}";
}
function jcsValue(name, value) {
  switch (name) {
    case "seq":
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < FIRST_SEQ) {
        throw new TypeError("seq must be a positive safe integer");
      }
      return String(value);
    case "policyIds":
    case "reasons":
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw new TypeError(`${name} must be an array of strings`);
      }
      return "[" + value.map((item) => jcsString(name, item)).join(",") + "]";
    case "metadata": {
      if (value === null) return "null";
      if (typeof value !== "object" || Array.isArray(value)) throw new TypeError("metadata must be an object or null");
      const text = jcsMetadata(value);
      if (text === void 0) throw new TypeError("metadata cannot be canonicalised");
      return text;
    }
    default:
      if (value === null) return "null";
      if (typeof value !== "string") throw new TypeError(`${name} must be a string or null`);
      return jcsString(name, value);
  }
}
function leafText(event) {
  let out = "";
  for (let i = 0; i < LEAF_FIELDS.length; i += 1) {
    const name = LEAF_FIELDS[i];
    const value = event[name];
    if (value === void 0) throw new TypeError(`${name} is missing`);
    out += KEY_PREFIXES[i] + jcsValue(name, value);
  }
  return out + "}";
}

// server/src/modules/audit/merkle.ts
function subtreeRefs(start, end) {
  const refs = [];
  let at = start;
  while (at < end) {
    let level = 0;
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    refs.push({ level, index: at / width });
    at += width;
  }
  return refs;
}

// server/src/modules/audit/export.ts
var EVENT_LINE_START = '{"type":"event","event":';
var LEAF_HASH_KEY = ',"leafHash":"';
var CHAIN_HASH_KEY = '","chainHash":"';

// server/src/modules/audit/verify-block.ts
var NEWLINE = 10;
var CARRIAGE_RETURN = 13;
var START = Buffer.from(EVENT_LINE_START);
var LEAF_KEY = Buffer.from(LEAF_HASH_KEY);
var CHAIN_KEY = Buffer.from(CHAIN_HASH_KEY);
var END = Buffer.from('"}');
var HASH_TEXT = 43;
var TAIL = LEAF_KEY.length + HASH_TEXT + CHAIN_KEY.length + HASH_TEXT + END.length;
var SEQ_KEY = Buffer.from(',"seq":');
var DIGIT_0 = 48;
var DIGIT_9 = 57;
var COMMA = 44;
function isAt(bytes, at, part) {
  if (at < 0 || at + part.length > bytes.length) return false;
  for (let i = 0; i < part.length; i += 1) if (bytes[at + i] !== part[i]) return false;
  return true;
}
function isTextAt(bytes, at, text) {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i += 1) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
var chainInput2 = Buffer.alloc(2 * HASH_BYTES);
function leafHashText(bytes, start, end) {
  const before = bytes[start - 1];
  bytes[start - 1] = 0;
  const leaf = hash2("sha256", bytes.subarray(start - 1, end), "base64url");
  bytes[start - 1] = before;
  return leaf;
}
function canonicalLine(bytes, start, end, tenantTail, signedSize) {
  const textStart = start + START.length;
  const textEnd = end - TAIL;
  if (textEnd - textStart < tenantTail.length + SEQ_KEY.length || !isAt(bytes, start, START)) return null;
  const leafAt = textEnd + LEAF_KEY.length;
  const chainAt = leafAt + HASH_TEXT + CHAIN_KEY.length;
  if (!isAt(bytes, textEnd, LEAF_KEY) || !isAt(bytes, leafAt + HASH_TEXT, CHAIN_KEY) || !isAt(bytes, end - END.length, END)) return null;
  const leaf = leafHashText(bytes, textStart, textEnd);
  if (!isTextAt(bytes, leafAt, leaf)) return null;
  if (!isAt(bytes, textEnd - tenantTail.length, tenantTail)) return null;
  const seqAt = bytes.lastIndexOf(SEQ_KEY, textEnd - tenantTail.length);
  if (seqAt < textStart) return null;
  let seq = 0;
  let at = seqAt + SEQ_KEY.length;
  for (; at < textEnd && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at += 1) seq = seq * 10 + (bytes[at] - DIGIT_0);
  if (bytes[at] !== COMMA || !Number.isSafeInteger(seq) || seq > signedSize) return null;
  return { seq, leaf, chain: chainAt };
}
function parsedLine(raw, tenantId2) {
  if (raw.trim() === "") return "blank";
  let record;
  try {
    record = JSON.parse(raw);
  } catch {
    return null;
  }
  if (record === null || typeof record !== "object") return null;
  if (record.type === "key") return "key";
  if (record.type !== "event") return null;
  const leafStored = hashFromBase64Url(record.leafHash);
  const chainStored = hashFromBase64Url(record.chainHash);
  const event = record.event;
  if (leafStored === null || chainStored === null || event === null || typeof event !== "object") return null;
  if (typeof event.seq !== "number" || !Number.isSafeInteger(event.seq)) return null;
  if (event.tenantId !== tenantId2) return null;
  let leaf;
  try {
    leaf = hashLeafText(leafText({ ...event, leafHash: leafStored, chainHash: chainStored }));
  } catch {
    return null;
  }
  if (!leaf.equals(leafStored)) return null;
  return { seq: event.seq, leaf, chain: chainStored };
}
function foldSubtrees2(leaves, first, count, cuts2) {
  const end = Math.min(first + count, cuts2.length === 0 ? 0 : cuts2[cuts2.length - 1]);
  const levels = [];
  const refs = [];
  let at = first;
  for (const cut of [...cuts2.filter((c) => c > first && c < end), end]) {
    for (const ref of subtreeRefs(at, cut)) {
      levels.push(ref.level);
      refs.push(ref);
    }
    at = Math.max(at, cut);
  }
  const subtrees = new Uint8Array(refs.length * HASH_BYTES);
  refs.forEach((ref, i) => {
    const width = 2 ** ref.level;
    subtrees.set(foldPerfect(leaves, ref.index * width - first, width), i * HASH_BYTES);
  });
  return { levels, subtrees };
}
function checkBlock(tenantId2, block, cuts2 = []) {
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  if (bytes.indexOf(CARRIAGE_RETURN) !== -1) return { ok: false };
  const tenantTail = Buffer.from(`,"tenantId":${JSON.stringify(tenantId2)}}`);
  const signedSize = cuts2.length === 0 ? 0 : cuts2[cuts2.length - 1];
  const leaves = Buffer.allocUnsafe(Math.max(HASH_BYTES, Math.ceil(block.byteLength / 64) * HASH_BYTES));
  let count = 0;
  let firstSeq = 0;
  let firstChain;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const line = canonicalLine(bytes, start, end, tenantTail, signedSize) ?? parsedLine(bytes.toString("utf8", start, end), tenantId2);
    start = end + 1;
    if (line === "blank" || line === "key") continue;
    if (line === null) return { ok: false };
    if (count === 0) firstSeq = line.seq;
    else if (line.seq !== firstSeq + count) return { ok: false };
    if ((count + 1) * HASH_BYTES > leaves.length) return { ok: false };
    if (typeof line.leaf === "string") chainInput2.write(line.leaf, HASH_BYTES, HASH_BYTES, "base64url");
    else chainInput2.set(line.leaf, HASH_BYTES);
    for (let i = 0; i < HASH_BYTES; i += 1) leaves[count * HASH_BYTES + i] = chainInput2[HASH_BYTES + i];
    if (firstChain === void 0) {
      const stored = typeof line.chain === "number" ? hashFromBase64Url(bytes.toString("latin1", line.chain, line.chain + HASH_TEXT)) : line.chain;
      if (stored === null) return { ok: false };
      firstChain = new Uint8Array(stored);
      chainInput2.set(stored, 0);
    } else {
      const next = hash2("sha256", chainInput2, "base64url");
      const isLinked = typeof line.chain === "number" ? isTextAt(bytes, line.chain, next) : line.chain.toString("base64url") === next;
      if (!isLinked) return { ok: false };
      chainInput2.write(next, 0, HASH_BYTES, "base64url");
    }
    count += 1;
  }
  if (count === 0 || firstChain === void 0) {
    return { ok: true, count: 0, firstSeq: 0, firstLeaf: new Uint8Array(0), firstChain: new Uint8Array(0), lastChain: new Uint8Array(0), levels: [], subtrees: new Uint8Array(0) };
  }
  const firstLeaf = new Uint8Array(leaves.subarray(0, HASH_BYTES));
  const lastChain = new Uint8Array(chainInput2.subarray(0, HASH_BYTES));
  const { levels, subtrees } = foldSubtrees2(leaves, firstSeq - 1, count, cuts2);
  return { ok: true, count, firstSeq, firstLeaf, firstChain, lastChain, levels, subtrees };
}

// server/src/modules/audit/verify-worker.ts
var { tenantId, cuts } = workerData;
parentPort.on("message", (message) => {
  let result;
  try {
    result = checkBlock(tenantId, message.block, cuts);
  } catch {
    result = { ok: false };
  }
  parentPort.postMessage({ id: message.id, result }, result.ok && result.subtrees.byteLength > 0 ? [result.subtrees.buffer] : []);
});
