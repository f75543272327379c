import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { KafkaClient } from '@faultline/shared/messaging';
import type { ConsumerGroupsView } from '../console-api.js';
import { consumerGroupViews, isServiceGroup } from './consumer-group-views.js';

/** Longer than any group id a service uses; a longer filter is a mistake worth saying. */
const MAX_MATCH_LENGTH = 200;

@Controller('api/consumer-groups')
export class ConsumerGroupsController {
  constructor(private readonly kafka: KafkaClient) {}

  /**
   * Each service's consumer group per topic (those whose id contains `match`, when given): its
   * committed position against the topic's end, asked of Kafka now.
   */
  @Get()
  async view(@Query('match') match?: string): Promise<ConsumerGroupsView> {
    if (match !== undefined && (typeof match !== 'string' || match.length > MAX_MATCH_LENGTH)) {
      throw new BadRequestException(`match is a part of a group id, at most ${MAX_MATCH_LENGTH} characters`);
    }
    const wanted = (groupId: string) => isServiceGroup(groupId) && (!match || groupId.includes(match));
    try {
      return { groups: consumerGroupViews(await this.kafka.consumerGroupOffsets(wanted)) };
    } catch (error) {
      return { groups: [], problem: `Kafka did not answer: ${(error as Error).message}` };
    }
  }
}
