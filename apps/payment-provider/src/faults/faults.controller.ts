import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { activeFaults, faultSet, type ActiveFaults, type FaultSet } from './fault-set.js';
import { FaultSwitch } from './fault-switch.js';

/**
 * The workshop's fault switch: faults change at run time, with no restart, so a scenario can turn
 * the provider slow or broken in the middle of a run and watch the caller cope.
 */
@ApiTags('admin')
@Controller('admin/faults')
export class FaultsController {
  constructor(private readonly faults: FaultSwitch) {}

  @Get()
  @ApiOkResponse({ description: 'The faults in force', standardSchema: activeFaults })
  current(): ActiveFaults {
    return this.faults.current();
  }

  @Put()
  @ApiOkResponse({ description: 'The faults now in force: exactly those in the body, the others off', standardSchema: activeFaults })
  @ApiProblemResponse(400, 'An unknown fault, or a value out of range (see `errors`)')
  set(@Body({ schema: faultSet }) faults: FaultSet): ActiveFaults {
    return this.faults.set(faults);
  }

  @Delete()
  @ApiOkResponse({ description: 'Every fault off', standardSchema: activeFaults })
  clear(): ActiveFaults {
    return this.faults.clear();
  }
}
