/** What-if simulations: past sales replayed under draft programs and settings, writing nothing. */
import { Module } from '@nestjs/common';
import { RunSimulationController } from './run-simulation/run-simulation.controller';
import { RunSimulationHandler } from './run-simulation/run-simulation.query';
import { SimulationLog } from './run-simulation/simulation-log';

@Module({
  controllers: [RunSimulationController],
  providers: [SimulationLog, RunSimulationHandler],
  exports: [RunSimulationHandler],
})
export class SimulationsModule {}
