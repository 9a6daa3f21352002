/** Each task form the pages render posts exactly the fields its schema validates (web/services/tasks.ts taskForms ↔ portalForms FORM_FIELDS). */
import { taskForms } from '../../web/tasks/service';
import { FORM_FIELDS, formValuesOf } from '../../web/portal/cleaning';

describe('task forms', () => {
  it.each(Object.keys(taskForms))('the page form %s has the fields of its schema, no more and no fewer', (name) => {
    const schema = taskForms[name as keyof typeof taskForms] as unknown as { shape: Record<string, unknown> };
    expect(FORM_FIELDS[name]?.map((f) => f.name).sort()).toEqual(Object.keys(schema.shape).sort());
  });

  it('a penalty decision posted from the page (checkbox, number, lines) is what its schema accepts', () => {
    const posted = formValuesOf('penaltyDecision', { _csrf: 'x', penalize: 'on', decision: '罚款人民币二万元', fineYuan: '20000', statementReview: '' });
    expect(taskForms.penaltyDecision.parse(posted)).toEqual({ penalize: true, decision: '罚款人民币二万元', fineYuan: 20000 });
    const noFine = formValuesOf('penaltyDecision', { decision: '不予处罚', fineYuan: '' });
    expect(taskForms.penaltyDecision.parse(noFine)).toEqual({ penalize: false, decision: '不予处罚' });
  });

  it('a statement form with neither a statement nor a hearing request is refused naming the statement', () => {
    const r = taskForms.penaltyStatement.safeParse(formValuesOf('penaltyStatement', { statement: '' }));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['statement']);
  });
});
