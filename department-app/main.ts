/**
 * `npm run department`: the demo department app on http://localhost:3001.
 * Reads CIVITAS_ISSUER, DEPARTMENT_CLIENT_ID, DEPARTMENT_CLIENT_SECRET, DEPARTMENT_SCOPE and
 * DEPARTMENT_DELIVERY (yes: the service posts results); in development,
 * without them, it takes a demo client Civitas wrote to demo-clients.json in the platform's
 * data directory (CIVITAS_DATA_DIR, default ./data, read through the platform's own setting
 * so both agree), the transit card unless DEPARTMENT_CLIENT_ID names another.
 *
 * It listens on DEPARTMENT_PORT (default 3001), never on PORT: PORT is the platform's, and a
 * shell that exported it for `npm start` would otherwise start both on one port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settings } from '../src/kernel/config/index.ts';
import { startDepartmentApp } from './app.ts';

const DEFAULT_PORT = 3001;

function demoClient(): {
  clientId: string;
  clientSecret: string;
  issuer: string;
  scope: string;
  delivery?: boolean;
} {
  const dataDir = settings.dataDir[0].parse(process.env.CIVITAS_DATA_DIR);
  const file = process.env.CIVITAS_DEMO_CLIENTS || join(dataDir, 'demo-clients.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as {
    issuer: string;
    clients: { clientId: string; clientSecret: string; scope: string; delivery?: boolean }[];
  };
  // The public-transport card needs only L1: it works for a person who just registered.
  const wanted =
    process.env.DEPARTMENT_CLIENT_ID ??
    (all.clients.find((x) => x.clientId === 'transit-card') ?? all.clients[0]!).clientId;
  const c = all.clients.find((x) => x.clientId === wanted);
  if (!c) throw new Error(`${wanted} is not in ${file}`);
  return { ...c, issuer: all.issuer };
}

function departmentPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`DEPARTMENT_PORT=${value} is not a port`);
  return n;
}

const env = process.env;
const c =
  env.DEPARTMENT_CLIENT_ID && env.DEPARTMENT_CLIENT_SECRET && env.CIVITAS_ISSUER
    ? {
        clientId: env.DEPARTMENT_CLIENT_ID,
        clientSecret: env.DEPARTMENT_CLIENT_SECRET,
        issuer: env.CIVITAS_ISSUER,
        scope: env.DEPARTMENT_SCOPE ?? 'openid name',
        delivery: env.DEPARTMENT_DELIVERY === 'yes',
      }
    : demoClient();
const app = await startDepartmentApp({
  ...c,
  port: departmentPort(env.DEPARTMENT_PORT),
  title: `Department app (${c.clientId})`,
});
process.stdout.write(`department app for ${c.clientId} on ${app.url}, signing in at ${c.issuer}\n`);
