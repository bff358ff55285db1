import type { Cart, CartItem } from '../types';

/** A line that cannot be bought as it stands: gone from the catalog, or sold out. */
export function isBlocked(item: CartItem): boolean {
  return !item.available || !item.in_stock;
}

export function blockedItems(cart: Cart): CartItem[] {
  return cart.items.filter(isBlocked);
}

export function canCheckOut(cart: Cart): boolean {
  return cart.items.length > 0 && blockedItems(cart).length === 0;
}
