import type { ServerResponse } from 'node:http';
import { Body, Controller, Get, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Access } from '@faultline/shared/access-control';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { ContactPreferences } from '../entities/index.js';
import {
  contactPreferencesView,
  putContactPreferencesRequest,
  toContactPreferencesView,
  type ContactPreferencesView,
  type PutContactPreferencesRequest,
} from './contact-preferences-view.js';

/**
 * A customer's contact preferences: where their e-mail goes, their zone and their quiet hours.
 * Only the customer named in the path may set or read them. Without them, due e-mails end
 * `no-address` (see decideDelivery).
 */
@ApiTags('contact-preferences')
@Controller('customers')
export class ContactPreferencesController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put(':customerId/contact-preferences')
  @Access.customerIn('path', 'customerId')
  @ApiCreatedResponse({ description: 'The preferences were created', standardSchema: contactPreferencesView })
  @ApiOkResponse({ description: 'The preferences were replaced', standardSchema: contactPreferencesView })
  @ApiProblemResponse(400, 'Malformed JSON, a non-UUID customer id, an invalid address, an unknown time zone or quiet hours that are not HH:MM (see `errors`)')
  async put(
    @Param('customerId', { schema: z.uuid() }) customerId: string,
    @Body({ schema: putContactPreferencesRequest }) request: PutContactPreferencesRequest,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ContactPreferencesView> {
    const now = this.clock.now();
    const quiet = request.quietHours ?? null;
    // One statement, so two concurrent first PUTs cannot both insert; xmax is 0 only on a row it inserted.
    const rows = (await this.dataSource.query(
      `INSERT INTO contact_preferences (customer_id, email, time_zone, quiet_hours_start, quiet_hours_end, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (customer_id) DO UPDATE SET email = EXCLUDED.email, time_zone = EXCLUDED.time_zone,
         quiet_hours_start = EXCLUDED.quiet_hours_start, quiet_hours_end = EXCLUDED.quiet_hours_end, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS created`,
      [customerId, request.email, request.timeZone, quiet?.start ?? null, quiet?.end ?? null, now],
    )) as { created: boolean }[];
    const created = rows[0]?.created ?? false;
    response.statusCode = created ? 201 : 200;
    if (created) response.setHeader('Location', `/customers/${customerId}/contact-preferences`);
    return toContactPreferencesView(
      Object.assign(new ContactPreferences(), {
        customerId,
        email: request.email,
        timeZone: request.timeZone,
        quietHoursStart: quiet?.start ?? null,
        quietHoursEnd: quiet?.end ?? null,
        updatedAt: now,
      }),
    );
  }

  @Get(':customerId/contact-preferences')
  @Access.customerIn('path', 'customerId')
  @ApiOkResponse({ description: "The customer's contact preferences", standardSchema: contactPreferencesView })
  @ApiProblemResponse(400, '`customerId` is not a UUID')
  @ApiProblemResponse(404, 'The customer has set no contact preferences')
  async get(@Param('customerId', { schema: z.uuid() }) customerId: string): Promise<ContactPreferencesView> {
    const preferences = await this.dataSource.manager.findOneBy(ContactPreferences, { customerId });
    if (!preferences) throw ProblemDetailsException.notFound(`Customer ${customerId} has set no contact preferences.`);
    return toContactPreferencesView(preferences);
  }
}
