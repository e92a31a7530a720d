/** The voice agent's work on a call (R-AI-6): the modules behind the MCP tools of docs/mcp.md. */
export { loadToolCall, type ToolCall } from './call-binding.ts';
export {
  findPatientOnCall, verifyCaller, getAppointments, requestCallback, callSummary, transferToHuman,
  MAX_VERIFICATION_FAILURES, CALLBACK_REASONS, TRANSFER_REASONS, type ToolContext, type AppointmentView,
} from './tools.ts';
