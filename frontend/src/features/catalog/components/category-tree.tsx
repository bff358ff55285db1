import { Link } from 'react-router';

import type { CategoryNode } from '../types';

type CategoryTreeProps = {
  categories: CategoryNode[];
  selected: string;
  hrefFor: (category: string) => string;
};

/** Slugs from the root down to `slug`, or [] when it is not in the tree. */
export function pathTo(categories: CategoryNode[], slug: string): string[] {
  for (const node of categories) {
    if (node.slug === slug) return [node.slug];
    const below = pathTo(node.children, slug);
    if (below.length) return [node.slug, ...below];
  }
  return [];
}

function Branch({
  nodes,
  openPath,
  selected,
  hrefFor,
}: {
  nodes: CategoryNode[];
  openPath: string[];
  selected: string;
  hrefFor: (category: string) => string;
}) {
  return (
    <ul className="category-tree__list">
      {nodes.map((node) => {
        const open = openPath.includes(node.slug);
        return (
          <li key={node.id}>
            <Link
              to={hrefFor(node.slug)}
              className="category-tree__link"
              aria-current={node.slug === selected ? 'page' : undefined}
            >
              <span>{node.name}</span>
              <span className="category-tree__count">
                <span className="visually-hidden">, </span>
                {node.product_count}
                <span className="visually-hidden"> products</span>
              </span>
            </Link>
            {open && node.children.length ? (
              <Branch nodes={node.children} openPath={openPath} selected={selected} hrefFor={hrefFor} />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The category navigation: roots always, and the branch of the selected
 * category opened down to its children.
 */
export function CategoryTree({ categories, selected, hrefFor }: CategoryTreeProps) {
  const openPath = pathTo(categories, selected);
  return (
    <nav className="category-tree" aria-label="Categories">
      <h2 className="sidebar__heading">Categories</h2>
      <ul className="category-tree__list">
        <li>
          <Link to={hrefFor('')} className="category-tree__link" aria-current={selected ? undefined : 'page'}>
            All products
          </Link>
        </li>
      </ul>
      <Branch nodes={categories} openPath={openPath} selected={selected} hrefFor={hrefFor} />
    </nav>
  );
}
