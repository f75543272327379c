// The billing-run workflows, bundled by the worker from this file (`workflowsPath`).
export { billingRun } from './billing-run.workflow.js';
export { billingSchedule } from './billing-schedule.workflow.js';
