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
