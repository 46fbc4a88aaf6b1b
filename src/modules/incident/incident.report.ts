/**
 * The report to the cyberspace authority, generated from the record (P7.2i.report): in
 * Chinese, the fields the national plan's report asks for, in its order. What the record
 * does not know yet says 待查明 ("to be determined"): a report is due by the clock, not
 * when everything is known, and a blank would read as "none".
 */
import { categories as categorySpecs } from '../inventory/index.ts';
import { beijingMinute } from '../notify/index.ts';
import type { Incident, IncidentState, Severity } from './incident.types.ts';

export const UNKNOWN = '待查明';

const classNames: Record<Severity, string> = { I: '特别重大', II: '重大', III: '较大', IV: '一般' };
export const severityText = (s: Severity) => `${s} 级（${classNames[s]}）`;

const operatorNames = { cii: '关键信息基础设施运营者', state_organ: '国家机关', other: '其他网络运营者' };

/** What remains to be done from each state, in the plan's order. */
const nextSteps: Record<IncidentState, string> = {
  detected: '研判事件、控制影响、确定受影响用户并告知',
  assessed: '控制影响、确定受影响用户并告知',
  contained: '确定受影响用户并告知，持续监测',
  reported: '告知受影响用户，持续监测',
  people_told: '持续监测，完成总结后结案',
  closed: '已结案',
};

const known = (v: string | null | undefined) => (v && v.trim() ? v.trim() : UNKNOWN);

export function reportFields(
  i: Incident,
  ctx: { unit: string; contactPerson: string | null },
): Record<string, string> {
  const cats = i.categories.map((c) => categorySpecs[c as keyof typeof categorySpecs]?.label['zh-CN'] ?? c);
  const people = i.affectedCount === null ? UNKNOWN : `${i.affectedCount} 人`;
  const severity = i.severity
    ? severityText(i.severity)
    : `待确定${i.suggestedSeverity ? `（建议：${severityText(i.suggestedSeverity)}）` : ''}`;
  return {
    报告单位: `${ctx.unit}（${operatorNames[i.operatorType]}）`,
    联系人: known(ctx.contactPerson),
    事件名称: i.title,
    发现时间: `${beijingMinute(i.detectedAt)}（北京时间）`,
    事件经过: known(i.summary),
    影响范围: `涉及人数：${people}；数据类别：${cats.length > 0 ? cats.join('、') : UNKNOWN}；涉及系统：${
      i.systems.length > 0 ? i.systems.join('、') : UNKNOWN
    }`,
    事件分级: severity,
    原因: known(i.cause),
    已采取措施: known(i.measures),
    下一步: nextSteps[i.state],
    联系方式: known(i.contact),
  };
}

export function reportText(i: Incident, fields: Record<string, string>): string {
  const head = `${i.drill ? '【演练】' : ''}网络安全事件报告`;
  return [head, ...Object.entries(fields).map(([k, v]) => `${k}：${v}`)].join('\n');
}
