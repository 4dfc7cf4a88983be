import { Module } from '@nestjs/common';
import { AddCollateralController } from './add-collateral/add-collateral.controller';
import { AddCollateralHandler } from './add-collateral/add-collateral.handler';
import { CollateralFilesController } from './collateral-file/collateral-file.controller';
import { CollateralFileHandler } from './collateral-file/collateral-file.handler';
import { CollateralStore } from './collateral.store';
import { ListCollateralController } from './list-collateral/list-collateral.controller';
import { ListCollateralHandler } from './list-collateral/list-collateral.handler';
import { MyCollateralController } from './my-collateral/my-collateral.controller';
import { MyCollateralHandler } from './my-collateral/my-collateral.handler';
import { RemoveCollateralController } from './remove-collateral/remove-collateral.controller';
import { RemoveCollateralHandler } from './remove-collateral/remove-collateral.handler';

@Module({
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [
    AddCollateralController,
    ListCollateralController,
    RemoveCollateralController,
    CollateralFilesController,
    MyCollateralController,
  ],
  providers: [
    CollateralStore,
    AddCollateralHandler,
    ListCollateralHandler,
    RemoveCollateralHandler,
    CollateralFileHandler,
    MyCollateralHandler,
  ],
})
export class CollateralModule {}
