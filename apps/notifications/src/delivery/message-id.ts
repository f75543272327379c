/**
 * The Message-ID of the e-mail about one event: derived from the event id, never generated per
 * send, so a message sent again after a crash (SMTP accepted it, the row was not yet marked sent)
 * carries the same id and a mail client or a person can recognise it as the same message (RFC 5322 §3.6.4).
 */
export function messageIdOf(eventId: string): string {
  return `<${eventId}@notifications.faultline>`;
}
