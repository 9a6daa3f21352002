/**
 * Task forms come from one registry (web/tasks/forms): each page form's fields are derived from the
 * schema that validates it, so the page posts exactly what the schema takes. The derived fields are
 * the ones the pages rendered when they were listed by hand (kept below as the expectation).
 */
import { fieldsOf, pageValues, type FormField } from '../../web/forms';
import { registerTaskForm, taskFieldsOf, taskForm, taskForms } from '../../web/tasks/forms';

const PAGE_FIELDS_BEFORE_THE_REGISTRY: Record<string, FormField[]> = {
  alarmDisposal: [
    { name: 'cause', type: 'textarea' },
    { name: 'measures', type: 'textarea' },
    { name: 'responsible', type: 'text' },
  ],
  warningFeedback: [
    { name: 'verification', type: 'textarea' },
    { name: 'cause', type: 'textarea' },
    { name: 'measures', type: 'textarea' },
    { name: 'responsiblePerson', type: 'text' },
    { name: 'accidentFound', type: 'checkbox' },
  ],
  warningTracking: [{ name: 'note', type: 'textarea' }],
  onsiteAssign: [
    { name: 'inspectors', type: 'lines' },
    { name: 'due', type: 'datetime-local' },
  ],
  onsiteRecord: [
    { name: 'findings', type: 'textarea' },
    { name: 'hazards', type: 'lines' },
    { name: 'rectifyBy', type: 'datetime-local' },
  ],
  rectificationReply: [{ name: 'measures', type: 'textarea' }],
  emergencyReport: [
    { name: 'actions', type: 'textarea' },
    { name: 'casualties', type: 'textarea' },
    { name: 'underControl', type: 'checkbox' },
  ],
  emergencyClose: [{ name: 'conclusion', type: 'textarea' }],
  reinspection: [
    { name: 'passed', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
    { name: 'openPenalty', type: 'checkbox' },
  ],
  interviewSchedule: [
    { name: 'scheduledAt', type: 'datetime-local' },
    { name: 'place', type: 'text' },
    { name: 'attendees', type: 'lines' },
  ],
  interviewRecord: [
    { name: 'minutes', type: 'textarea' },
    { name: 'commitments', type: 'textarea' },
    { name: 'commitmentsDue', type: 'datetime-local' },
  ],
  interviewCommitments: [{ name: 'measures', type: 'textarea' }],
  interviewVerification: [
    { name: 'fulfilled', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  penaltyFiling: [
    { name: 'summary', type: 'textarea' },
    { name: 'decline', type: 'checkbox' },
  ],
  penaltyInvestigation: [
    { name: 'evidence', type: 'lines' },
    { name: 'proposedPenalty', type: 'textarea' },
  ],
  penaltyStatement: [
    { name: 'statement', type: 'textarea' },
    { name: 'hearingRequested', type: 'checkbox' },
  ],
  penaltyHearing: [{ name: 'record', type: 'textarea' }],
  penaltyDecision: [
    { name: 'penalize', type: 'checkbox' },
    { name: 'decision', type: 'textarea' },
    { name: 'fineYuan', type: 'number' },
    { name: 'statementReview', type: 'textarea' },
  ],
  penaltyService: [
    { name: 'servedAt', type: 'datetime-local' },
    { name: 'method', type: 'text' },
  ],
  penaltyExecution: [
    { name: 'executed', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  interviewMinutes: [{ name: 'minutes', type: 'textarea' }],
  warningNoticeRecord: [{ name: 'note', type: 'textarea' }],
  // A key target's on-site enforcement inspection (issue 18, web/tasks/forms/penalty.ts).
  enforcementInspectionRecord: [
    { name: 'findings', type: 'textarea' },
    { name: 'violationsFound', type: 'checkbox' },
  ],
  suspensionReview: [
    { name: 'approved', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  deviceSettingsReview: [
    { name: 'approved', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ], // Special-work permits (web/tasks/forms/permit.ts), added with the registry.
  permitSignOff: [
    { name: 'approve', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  permitExtensionDecision: [
    { name: 'approve', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  permitAcceptance: [{ name: 'note', type: 'textarea' }],
  permitConductExplanation: [
    { name: 'cause', type: 'textarea' },
    { name: 'measures', type: 'textarea' },
  ],
  // A device fault's verification and repair (web/tasks/forms/deviceFault.ts), added with the device-fault case.
  faultRepair: [
    { name: 'equipmentFailed', type: 'checkbox' },
    { name: 'cause', type: 'textarea' },
    { name: 'repair', type: 'textarea' },
    { name: 'responsible', type: 'text' },
  ],
};

const schemaOf = (form: string) => taskForm(form).schema;

describe('task forms', () => {
  it('every form the pages rendered is registered, and no other', () => {
    expect(
      taskForms()
        .map((f) => f.form)
        .sort(),
    ).toEqual(Object.keys(PAGE_FIELDS_BEFORE_THE_REGISTRY).sort());
  });

  it.each(Object.keys(PAGE_FIELDS_BEFORE_THE_REGISTRY))(
    'the page form %s renders the fields of its schema, in order, with their input types',
    (name) => {
      expect(taskFieldsOf(name)).toEqual(PAGE_FIELDS_BEFORE_THE_REGISTRY[name]);
      expect(
        fieldsOf(schemaOf(name))
          .map((f) => f.name)
          .sort(),
      ).toEqual(Object.keys((schemaOf(name) as unknown as { shape: Record<string, unknown> }).shape).sort());
    },
  );

  it('a kind without a form renders a note, and completing it is refused naming form', () => {
    expect(taskFieldsOf('noSuchForm')).toEqual([{ name: 'note', type: 'textarea' }]);
    expect(() => taskForm('noSuchForm')).toThrow('a noSuchForm task is not completed here');
  });

  it('a form registered twice is refused', () => {
    expect(() => registerTaskForm(taskForm('penaltyHearing'))).toThrow('task form penaltyHearing is registered twice');
  });

  it('a penalty decision posted from the page (checkbox, number, lines) is what its schema accepts', () => {
    const fields = taskFieldsOf('penaltyDecision');
    const posted = pageValues(fields, {
      _csrf: 'x',
      penalize: 'on',
      decision: '罚款人民币二万元',
      fineYuan: '20000',
      statementReview: '',
    });
    expect(schemaOf('penaltyDecision').parse(posted)).toEqual({
      penalize: true,
      decision: '罚款人民币二万元',
      fineYuan: 20000,
    });
    const noFine = pageValues(fields, { decision: '不予处罚', fineYuan: '' });
    expect(schemaOf('penaltyDecision').parse(noFine)).toEqual({ penalize: false, decision: '不予处罚' });
  });

  it('a page date-time is Beijing time', () => {
    expect(pageValues(taskFieldsOf('penaltyService'), { servedAt: '2026-03-02T09:30', method: '直接送达' })).toEqual({
      servedAt: '2026-03-02T09:30:00+08:00',
      method: '直接送达',
    });
  });

  it('a statement form with neither a statement nor a hearing request is refused naming the statement', () => {
    const r = schemaOf('penaltyStatement').safeParse(pageValues(taskFieldsOf('penaltyStatement'), { statement: '' }));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['statement']);
  });
});
