/**
 * The risk-warning escalation ladder (风险预警分级响应), seed 002 第二十条至第二十三条, as data.
 * Seeds 001 and 004 leave the time limits to each region: the ladder is versioned and editable;
 * DEFAULT_ESCALATION_POLICY below is the shipped default, read as the seed reads.
 */
import { AGENCY_ROLES } from '../masterData';
import type { Level } from '../cases';

/**
 * Who a rung pushes to, tracks with, or sends the warning notice to. Agencies by role (resolved
 * from the enterprise's region path and industry), or the enterprise itself (its contacts) or its
 * headquarters (hqEmail). The real-time municipal feed is the municipal bureau's agency.
 */
export const RECIPIENT_ROLES = ['enterprise', 'enterprise_hq', ...AGENCY_ROLES] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export function isRecipientRole(v: unknown): v is RecipientRole {
  return typeof v === 'string' && (RECIPIENT_ROLES as readonly string[]).includes(v);
}

/** One rung of the ladder. A rung without `firstNoticeAfter` is the enterprise's closed loop (blue). */
export interface LevelLadder {
  /** Pushed at once when the warning opens at (or is raised to) this level. */
  pushTo: RecipientRole[];
  /** The party that tracks the warning: gets the tracking task, and later the on-site supervision. */
  trackedBy: RecipientRole;
  /** Not downgraded after this long → automatic warning notice (警示通报). ISO-8601. */
  firstNoticeAfter?: string;
  /** Who the warning notice goes to. */
  noticeTo?: RecipientRole;
  /** The notice is pushed again at this interval until downgraded. ISO-8601. */
  repeatEvery?: string;
  /** Not downgraded after this long (from the level's start) → on-site supervision 现场核查督办. ISO-8601. */
  onSiteAfter?: string;
  /** The legal source of this rung. */
  citation: string;
}

export interface EscalationPolicy {
  version: number;
  levels: Record<Level, LevelLadder>;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  version: 1,
  // Every rung pushes to the enterprise itself: 第十九条 makes it the first responsible party, to verify at
  // once (seeds 001 and 004 push to it too); its headquarters (企业本部 hqEmail) as well when it has one.
  levels: {
    // 第二十条 蓝色预警：企业强化管理，纳入日常巡查闭环管理，与大应急平台实时同步。
    blue: {
      pushTo: ['enterprise'],
      trackedBy: 'enterprise',
      citation: '002 第二十条（蓝色预警，企业闭环管理）',
    },
    // 第二十一条 黄色预警：推送功能区安全管理部门、企业本部；1小时未处置降级向企业发警示通报，降级前每小时推送1次；24小时未降级现场核查督办。
    yellow: {
      pushTo: ['zone_safety_dept', 'enterprise', 'enterprise_hq'],
      trackedBy: 'zone_safety_dept',
      firstNoticeAfter: 'PT1H',
      noticeTo: 'enterprise',
      repeatEvery: 'PT1H',
      onSiteAfter: 'PT24H',
      citation: '002 第二十一条（黄色预警）',
    },
    // 第二十二条 橙色预警：推送区行业监管部门、功能区安全管理部门、企业本部；1小时未处置降级向区行业监管部门发警示通报，降级前每小时推送1次；12小时现场核查督办。
    orange: {
      pushTo: ['district_industry_regulator', 'zone_safety_dept', 'enterprise', 'enterprise_hq'],
      trackedBy: 'district_industry_regulator',
      firstNoticeAfter: 'PT1H',
      noticeTo: 'district_industry_regulator',
      repeatEvery: 'PT1H',
      onSiteAfter: 'PT12H',
      citation: '002 第二十二条（橙色预警）',
    },
    // 第二十三条 红色预警：推送区应急局、区行业监管部门、功能区安全管理部门、企业本部，实时传输至市级监测预警系统；30分钟未处置降级向区行业部门发警示通报，降级前每30分钟推送1次；2小时现场核查督办。
    red: {
      pushTo: [
        'district_emergency_bureau',
        'district_industry_regulator',
        'zone_safety_dept',
        'enterprise',
        'enterprise_hq',
        'municipal_bureau',
      ],
      trackedBy: 'district_industry_regulator',
      firstNoticeAfter: 'PT30M',
      noticeTo: 'district_industry_regulator',
      repeatEvery: 'PT30M',
      onSiteAfter: 'PT2H',
      citation: '002 第二十三条（红色预警）',
    },
  },
};
