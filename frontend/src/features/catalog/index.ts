export { useProduct, getProductQueryOptions } from './api/get-product';
export { ProductBrowser } from './components/product-browser';
export { ProductDetails } from './components/product-details';
export { SearchBox } from './components/search-box';
export type { ProductDetail, ProductSummary } from './types';
