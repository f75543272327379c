import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { Notification } from '../entities/index.js';

export const listNotificationsQuery = z.object({ orderId: z.uuid() });
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
@Controller('notifications')
export class ListNotificationsController {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  @Get()
  @ApiOkResponse({ description: 'The notifications about one order, oldest first', standardSchema: notificationList })
  @ApiProblemResponse(400, '`orderId` is missing or not a UUID')
  async list(@Query({ schema: listNotificationsQuery }) query: ListNotificationsQuery): Promise<NotificationList> {
    const found = await this.notifications.find({
      where: { orderId: query.orderId },
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
