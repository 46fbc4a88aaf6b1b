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

/** The kind of a device from its coarse label: a code, safe for the audit (no label, no browser). */
export type DeviceKind = 'phone' | 'computer' | 'unknown';
export function deviceKind(label: string | undefined): DeviceKind {
  const system = label?.split(' · ')[1];
  if (system === 'Android' || system === 'iOS' || system === 'HarmonyOS') return 'phone';
  if (system === 'Windows' || system === 'macOS' || system === 'Linux') return 'computer';
  return 'unknown';
}

/**
 * What the server keeps of a browser's device cookie (web/http/device-cookie.ts), per account
 * (`known_device`): SHA-256(account id, cookie), so the cookie cannot be read back from the
 * table and one browser shared by two accounts is not linkable.
 */
export const deviceHash = (subjectId: string, deviceId: string) =>
  createHash('sha256').update(`${subjectId}:${deviceId}`).digest();

/** Why a name the person typed (a device's, a passkey's) is refused. */
export type NameProblem = 'empty' | 'too-long' | 'chars';

// Letters and digits of any script, spaces and the punctuation people put in a device's
// name; no markup, controls or emoji (they break the labels screen readers and SMS read).
const NAME_CHARS = /^[\p{L}\p{M}\p{N} .,'’()&/#+:_-]+$/u;

/** A name as it is kept (spaces collapsed), or why it is refused; `max` counts characters. */
export function checkName(raw: string, max: number): { name: string } | { problem: NameProblem } {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name === '') return { problem: 'empty' };
  if ([...name].length > max) return { problem: 'too-long' };
  if (!NAME_CHARS.test(name)) return { problem: 'chars' };
  return { name };
}

/** The longest name of a signed-in device. */
export const DEVICE_NAME_MAX = 40;
