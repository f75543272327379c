// The orders worker's workflowsPath: Temporal bundles this file and what it imports, and runs each
// exported function as the workflow type of its name.
export { orderFulfilment } from './order-fulfilment.workflow.js';
export { orderRefund } from '../order-refund/order-refund.workflow.js';
