import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { z } from 'zod';
import { Access } from '@faultline/shared/access-control';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { messageIdOf } from '../delivery/message-id.js';
import { DeliveryAttempt, Notification } from '../entities/index.js';

/** Optional: only the notifications about this one order. */
export const listNotificationsQuery = z.object({ orderId: z.uuid().optional() });
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationList = z
  .object({
    items: z.array(
      z.object({
        notificationId: z.uuid(),
        orderId: z.uuid(),
        kind: z.string(),
        channel: z.string(),
        /** due, sent, failed or no-address (the customer had no contact preferences). */
        status: z.string(),
        /** `<eventId@notifications.faultline>`: the same on every resend of the same e-mail. */
        messageId: z.string().nullable(),
        recipient: z.string().nullable(),
        dueAt: z.iso.datetime(),
        sentAt: z.iso.datetime().nullable(),
        attemptCount: z.int(),
        lastAttempt: z
          .object({ attemptedAt: z.iso.datetime(), outcome: z.string(), smtpResponse: z.string().nullable(), error: z.string().nullable() })
          .nullable(),
        createdAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'NotificationList' });
export type NotificationList = z.infer<typeof notificationList>;

/** At most this many per answer: a runaway retry loop must not turn one GET into megabytes. */
const PAGE_LIMIT = 100;

@ApiTags('notifications')
@Controller('customers')
export class ListNotificationsController {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
  ) {}

  @Get(':customerId/notifications')
  @Access.customerIn('path', 'customerId')
  @ApiOkResponse({ description: "The customer's notifications (about one order with `orderId`), oldest first", standardSchema: notificationList })
  @ApiProblemResponse(400, '`customerId` or `orderId` is not a UUID')
  async list(
    @Param('customerId', { schema: z.uuid() }) customerId: string,
    @Query({ schema: listNotificationsQuery }) query: ListNotificationsQuery,
  ): Promise<NotificationList> {
    const found = await this.notifications.find({
      where: { customerId, ...(query.orderId === undefined ? {} : { orderId: query.orderId }) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: PAGE_LIMIT,
    });
    const last = await this.lastAttempts(found.map((n) => n.id));
    return {
      items: found.map((n) => {
        const attempt = last.get(n.id);
        return {
          notificationId: n.id,
          orderId: n.orderId,
          kind: n.kind,
          channel: n.channel,
          status: n.status,
          messageId: n.eventId ? messageIdOf(n.eventId) : null,
          recipient: n.recipient,
          dueAt: n.dueAt.toISOString(),
          sentAt: n.sentAt?.toISOString() ?? null,
          attemptCount: n.attemptCount,
          lastAttempt: attempt
            ? { attemptedAt: attempt.attemptedAt.toISOString(), outcome: attempt.outcome, smtpResponse: attempt.smtpResponse, error: attempt.error }
            : null,
          createdAt: n.createdAt.toISOString(),
        };
      }),
    };
  }

  /** The newest attempt of each listed notification (one query: DISTINCT ON over the attempts' index). */
  private async lastAttempts(ids: string[]): Promise<Map<string, DeliveryAttempt>> {
    if (ids.length === 0) return new Map();
    const rows = await this.attempts
      .createQueryBuilder('a')
      .distinctOn(['a.notification_id'])
      .where({ notificationId: In(ids) })
      .orderBy('a.notification_id')
      .addOrderBy('a.attempted_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getMany();
    return new Map(rows.map((a) => [a.notificationId, a]));
  }
}
