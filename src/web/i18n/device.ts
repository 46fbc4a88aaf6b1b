import type { Translate } from './messages.ts';

/**
 * A stored device label (`Chrome · Linux`, session module) as the page shows it: product
 * names stay as they are; the two generic words the server stores in English are translated.
 */
export function deviceName(t: Translate, label: string): string {
  return label
    .split(' · ')
    .map((part) =>
      part === 'browser' ? t('device.browser') : part === 'unknown' ? t('device.unknown') : part,
    )
    .join(' · ');
}
