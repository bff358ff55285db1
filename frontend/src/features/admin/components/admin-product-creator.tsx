import { Link, useNavigate } from 'react-router';

import { useCreateProduct } from '../api/create-product';

import { ProductForm } from './product-form';

export function AdminProductCreator() {
  const createMutation = useCreateProduct();
  const navigate = useNavigate();
  return (
    <div className="admin-editor">
      <p>
        <Link to="/admin/products">← All products</Link>
      </p>
      <h1>New product</h1>
      <section className="card">
        <p className="muted">New products start with no stock: set it on the next page.</p>
        <ProductForm
          submitLabel="Create product"
          pending={createMutation.isPending}
          error={createMutation.error}
          onSubmit={(input) =>
            createMutation.mutate(input, { onSuccess: (product) => void navigate(`/admin/products/${product.id}`) })
          }
        />
      </section>
    </div>
  );
}
