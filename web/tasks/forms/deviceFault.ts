/** Device fault (设备故障) tasks: the enterprise's verification and repair (workflows/deviceFault.ts). */
import { z } from 'zod';
import { fileFaultRepairUpdate } from '../../../workflows/deviceFault';
import { flag, text } from '../../schemas';
import { defineTaskForm } from './types';

/** What the enterprise files: whether the equipment failed (001 二（三）), the cause, the repair, who is responsible. */
export const faultRepairForm = z.object({
  equipmentFailed: flag,
  cause: text(1000),
  repair: text(2000),
  responsible: text(100),
});

export const deviceFaultForms = [
  defineTaskForm({
    form: 'faultRepair',
    schema: faultRepairForm,
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(fileFaultRepairUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
];
