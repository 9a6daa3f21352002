/**
 * The custom search attributes every Temporal server we start registers (embedded/temporal.ts, the test
 * servers), typed: workflows and web services set them with `typedSearchAttributes: caseSearchAttributes(…)`,
 * so a case can be found by its type and its enterprise in Temporal's visibility. Pure (imported by workflows).
 */
import { SearchAttributeType, defineSearchAttributeKey, type SearchAttributePair } from '@temporalio/common';
import type { CaseType } from '../domain/cases';

export const CASE_TYPE_ATTRIBUTE = defineSearchAttributeKey('WarnflowCaseType', SearchAttributeType.KEYWORD);
export const ENTERPRISE_ID_ATTRIBUTE = defineSearchAttributeKey('WarnflowEnterpriseId', SearchAttributeType.KEYWORD);

/** Every custom search attribute, for registration. */
export const SEARCH_ATTRIBUTE_KEYS = [CASE_TYPE_ATTRIBUTE, ENTERPRISE_ID_ATTRIBUTE] as const;

/** A case's search attributes: its type and, when it is about one, its enterprise. */
export function caseSearchAttributes(type: CaseType, enterpriseId?: string): SearchAttributePair[] {
  return [
    { key: CASE_TYPE_ATTRIBUTE, value: type },
    ...(enterpriseId ? [{ key: ENTERPRISE_ID_ATTRIBUTE, value: enterpriseId }] : []),
  ];
}
