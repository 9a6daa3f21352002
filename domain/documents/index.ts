/**
 * Official documents (执法文书 / 公文): the kinds warnflow issues, their Chinese titles and the
 * number each carries — issuing agency + year + sequence, per agency, kind and Beijing-time year,
 * never reused. Pure: imported by workflows (kind words), activities (numbering, rendering) and web.
 * The words of each document live in templates/documents/<kind>.hbs, its legal basis in
 * templates/documents/legal-basis.json (template data an administrator's deployment can amend).
 */

export const DOCUMENT_KINDS = [
  'warning_notice',
  'interview_notice',
  'onsite_notice',
  'rectification_order',
  'penalty_advance_notice',
  'penalty_decision',
  'suspension_permission',
  'public_notice',
  'work_permit',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentKindInfo {
  /** The document's title as printed (文书名称). */
  zh: string;
  en: string;
  /**
   * The kind's word in the number, e.g. `district-dust约〔2026〕3号`. Warning notices have none: their
   * numbers were issued as `<agency>〔<year>〕<n>号` from the start and keep that form.
   */
  abbr: string;
  /** The template under templates/documents/ (`<name>.hbs`). */
  template: string;
}

export const DOCUMENT_KIND_INFO: Record<DocumentKind, DocumentKindInfo> = {
  warning_notice: { zh: '警示通报', en: 'Warning notice', abbr: '', template: 'warning-notice' },
  interview_notice: { zh: '约谈通知书', en: 'Interview notice', abbr: '约', template: 'interview-notice' },
  onsite_notice: { zh: '现场核查督办通知', en: 'On-site supervision notice', abbr: '督', template: 'onsite-notice' },
  rectification_order: {
    zh: '责令限期整改指令书',
    en: 'Rectification order',
    abbr: '改',
    template: 'rectification-order',
  },
  penalty_advance_notice: {
    zh: '行政处罚告知书',
    en: 'Administrative penalty advance notice',
    abbr: '罚告',
    template: 'penalty-advance-notice',
  },
  penalty_decision: {
    zh: '行政处罚决定书',
    en: 'Administrative penalty decision',
    abbr: '罚决',
    template: 'penalty-decision',
  },
  // 002 第二十五条: "未经区应急局书面允许，企业不得停止数据传输" — the written permission an approved suspension issues.
  suspension_permission: { zh: '停用许可', en: 'Suspension permission', abbr: '停', template: 'suspension-permission' },
  // 002 第二十五条: destroying or switching off devices, long unexplained offline → "依法严肃查处并进行公开通报".
  public_notice: { zh: '公开通报', en: 'Public notice', abbr: '通', template: 'public-notice' },
  // 002 附件2 二(四), GB 30871-2022: the issued special-work permit (安全作业票), numbered per enterprise and year.
  work_permit: { zh: '特殊作业安全作业票', en: 'Special-work permit', abbr: '作业票', template: 'work-permit' },
};

export function isDocumentKind(v: unknown): v is DocumentKind {
  return typeof v === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(v);
}

export function documentNumber(agencyId: string, kind: DocumentKind, year: number, seq: number): string {
  return `${agencyId}${DOCUMENT_KIND_INFO[kind].abbr}〔${year}〕${seq}号`;
}

/** The counter a number is drawn from: one sequence per issuing agency, kind and year. */
export function counterKey(agencyId: string, kind: DocumentKind, year: number): string {
  // Warning notices keep the counter they were first numbered from (`<agency>/<year>`).
  return kind === 'warning_notice' ? `${agencyId}/${year}` : `${agencyId}/${kind}/${year}`;
}
