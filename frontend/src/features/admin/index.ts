export { AdminNav } from './components/admin-nav';
export { AdminOrderList } from './components/admin-order-list';
export { AdminProductCreator } from './components/admin-product-creator';
export { AdminProductEditor } from './components/admin-product-editor';
export { AdminProductList } from './components/admin-product-list';
