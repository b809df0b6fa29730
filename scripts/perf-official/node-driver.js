// One measurement of the official Node.js SDK: GetOtpSecretByUser against the canned
// server, CONCURRENCY calls at a time, CALLS in all after a warm-up. Prints the process's
// CPU per call in nanoseconds (process.cpuUsage: getrusage, user + system) and calls/s.
// Usage: node node-driver.js SDK_DIR BASE CONCURRENCY CALLS
"use strict";
const path = require("path");
const [sdkDir, base, concurrencyArg, callsArg] = process.argv.slice(2);
const { ManagementClient } = require(path.join(sdkDir, "node_modules", "authing-node-sdk"));

const concurrency = Number(concurrencyArg);
const calls = Number(callsArg);
const client = new ManagementClient({ accessKeyId: "AK", accessKeySecret: "SK", host: base });

async function one() {
  const answer = await client.getOtpSecretByUser({ userId: "6229ffaxxxxxxxxcade3e3d9" });
  if (answer.statusCode !== 200 || answer.data.secret !== "HZ2F6J3AGNAVSOTV") {
    throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  }
}

async function run(n) {
  let next = 0;
  const callers = Array.from({ length: concurrency }, async () => {
    while (next++ < n) await one();
  });
  await Promise.all(callers);
}

(async () => {
  // Enough calls first for the JIT to settle, as in a long-running server.
  await run(Math.max(concurrency * 4, 1000));
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(calls);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const nsPerCall = Math.round(((used.user + used.system) * 1000) / calls);
  console.log(`${nsPerCall} ${(calls / seconds).toFixed(1)}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
