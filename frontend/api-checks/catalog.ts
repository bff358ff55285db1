/** The catalog calls of the SPA (catalog and admin features) against catalog-django's OpenAPI. */
import type {
  AdminCategoryNode,
  AdminProduct,
  AdminProductPage,
  ProductWriteInput,
  StockInput,
} from '@/features/admin/types';
import type { CategoryNode, ProductDetail, ProductPage } from '@/features/catalog/types';
import type { paths } from '@/lib/api-schema/catalog';

import type { Conforms, ErrorShape, RequestOf, ResponseOf } from './contract';

type Admin = '/api/catalog/admin/products/{product_id}/';

export type ProductList = Conforms<ResponseOf<paths, '/api/catalog/products/', 'get'>, ProductPage>;
export type ProductDetailRead = Conforms<ResponseOf<paths, '/api/catalog/products/{key}/', 'get'>, ProductDetail>;
export type ProductNotFound = Conforms<ResponseOf<paths, '/api/catalog/products/{key}/', 'get', 404>, ErrorShape>;
export type Categories = Conforms<ResponseOf<paths, '/api/catalog/categories/', 'get'>, CategoryNode[]>;
export type AdminCategories = Conforms<ResponseOf<paths, '/api/catalog/categories/', 'get'>, AdminCategoryNode[]>;

export type AdminList = Conforms<ResponseOf<paths, '/api/catalog/admin/products/', 'get'>, AdminProductPage>;
export type AdminCreateBody = Conforms<ProductWriteInput, RequestOf<paths, '/api/catalog/admin/products/', 'post'>>;
export type AdminCreated = Conforms<ResponseOf<paths, '/api/catalog/admin/products/', 'post', 201>, AdminProduct>;
export type AdminRead = Conforms<ResponseOf<paths, Admin, 'get'>, AdminProduct>;
export type AdminUpdateBody = Conforms<Partial<ProductWriteInput>, RequestOf<paths, Admin, 'patch'>>;
export type AdminUpdated = Conforms<ResponseOf<paths, Admin, 'patch'>, AdminProduct>;
export type AdminStockBody = Conforms<StockInput, RequestOf<paths, '/api/catalog/admin/products/{product_id}/stock/', 'put'>>;
export type AdminValidation = Conforms<ResponseOf<paths, '/api/catalog/admin/products/', 'post', 400>, ErrorShape>;
