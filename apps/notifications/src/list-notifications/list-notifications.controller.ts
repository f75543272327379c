import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { Access } from '@faultline/shared/access-control';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { Notification } from '../entities/index.js';

/** Optional: only the notifications about this one order. */
export const listNotificationsQuery = z.object({ orderId: z.uuid().optional() });
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationList = z
  .object({
    items: z.array(
      z.object({
        notificationId: z.uuid(),
        orderId: z.uuid(),
        channel: z.string(),
        status: z.string(),
        dueAt: z.iso.datetime(),
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
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

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
    return {
      items: found.map((n) => ({
        notificationId: n.id,
        orderId: n.orderId,
        channel: n.channel,
        status: n.status,
        dueAt: n.dueAt.toISOString(),
        createdAt: n.createdAt.toISOString(),
      })),
    };
  }
}
