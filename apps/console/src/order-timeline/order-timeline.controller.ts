import { BadRequestException, Controller, Get, Param } from '@nestjs/common';
import { z } from 'zod';
import type { OrderTimeline } from '../console-api.js';
import { OrderTimelineService } from './order-timeline.service.js';

const orderIdSchema = z.uuid();

@Controller('api/orders')
export class OrderTimelineController {
  constructor(private readonly timelines: OrderTimelineService) {}

  /** What each part of the system did for one order, asked of each now. */
  @Get(':orderId/timeline')
  timeline(@Param('orderId') orderId: string): Promise<OrderTimeline> {
    if (!orderIdSchema.safeParse(orderId).success) throw new BadRequestException(`orderId must be a UUID, got ${JSON.stringify(orderId.slice(0, 60))}`);
    return this.timelines.timelineOf(orderId);
  }
}
