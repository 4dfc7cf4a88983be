/** The route table of the real app: every controller method with its path, method and declared roles. */
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY, type Role } from '../../libs/core/src/auth/roles.decorator';

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly roles: Role[] | null;
  readonly isPublic: boolean;
  readonly name: string;
}

export function discoverRoutes(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const classRoles = Reflect.getMetadata(ROLES_KEY, controller) as Role[] | undefined;
      const classPublic = Reflect.getMetadata(PUBLIC_KEY, controller) as boolean | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          method: RequestMethod[method],
          path: full,
          roles: (Reflect.getMetadata(ROLES_KEY, handler) as Role[] | undefined) ?? classRoles ?? null,
          isPublic: Boolean((Reflect.getMetadata(PUBLIC_KEY, handler) as boolean | undefined) ?? classPublic),
          name: `${controller.name}.${name}`,
        });
      }
    }
  }
  return routes;
}
