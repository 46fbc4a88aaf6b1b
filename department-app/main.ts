/**
 * `npm run department`: the demo department app on http://localhost:3001.
 * Reads CIVITAS_ISSUER, DEPARTMENT_CLIENT_ID, DEPARTMENT_CLIENT_SECRET, DEPARTMENT_SCOPE and
 * DEPARTMENT_DELIVERY (yes: the service posts results); in development,
 * without them, it takes a demo client Civitas wrote to data/demo-clients.json (the transit
 * card, which needs only L1, unless DEPARTMENT_CLIENT_ID names another).
 */
import { readFileSync } from 'node:fs';
import { startDepartmentApp } from './app.ts';

function demoClient(): {
  clientId: string;
  clientSecret: string;
  issuer: string;
  scope: string;
  delivery?: boolean;
} {
  const file = process.env.CIVITAS_DEMO_CLIENTS ?? 'data/demo-clients.json';
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
  port: Number(env.PORT ?? 3001),
  title: `Department app (${c.clientId})`,
});
process.stdout.write(`department app for ${c.clientId} on ${app.url}, signing in at ${c.issuer}\n`);
