import { createHash } from 'node:crypto';

/** A coarse device label from a User-Agent header: enough to recognise a session, no more. */
const browsers: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/MicroMessenger/, 'WeChat'],
  [/Alipay/i, 'Alipay'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|Chromium\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const systems: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iOS/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/HarmonyOS/, 'HarmonyOS'],
  [/Linux/, 'Linux'],
];

export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  const browser = browsers.find(([re]) => re.test(userAgent))?.[1] ?? 'browser';
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  return system ? `${browser} · ${system}` : browser;
}

/**
 * What the server keeps of a browser's device cookie (web/http/device-cookie.ts), per account
 * (`known_device`): SHA-256(account id, cookie), so the cookie cannot be read back from the
 * table and one browser shared by two accounts is not linkable.
 */
export const deviceHash = (subjectId: string, deviceId: string) =>
  createHash('sha256').update(`${subjectId}:${deviceId}`).digest();
