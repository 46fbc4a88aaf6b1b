export {
  createUsageService,
  chinaDay,
  type UsageService,
  type UsageEvent,
  type UsageKind,
  type DailyUsage,
} from './usage.service.ts';
export { usageData } from './usage.data.ts';
