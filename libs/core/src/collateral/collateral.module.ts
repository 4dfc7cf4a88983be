import { Module } from '@nestjs/common';
import { CollateralController, CollateralFilesController } from './collateral.controller';
import { CollateralStore } from './collateral.store';
import { MyCollateralController } from './my-collateral.controller';

@Module({
  controllers: [CollateralController, CollateralFilesController, MyCollateralController],
  providers: [CollateralStore],
})
export class CollateralModule {}
