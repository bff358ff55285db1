import { useState } from 'react';

export function ProductGallery({ images, name }: { images: string[]; name: string }) {
  const [index, setIndex] = useState(0);
  const current = images[index] ?? images[0];
  if (!current) return <div className="gallery gallery--empty" aria-label={`No image of ${name}`} role="img" />;
  return (
    <div className="gallery">
      <div className="gallery__main">
        <img src={current} alt={images.length > 1 ? `${name} (${index + 1} of ${images.length})` : name} width={640} height={640} />
      </div>
      {images.length > 1 ? (
        <ul className="gallery__thumbs" aria-label="Product images">
          {images.map((image, i) => (
            <li key={image}>
              <button
                type="button"
                className="gallery__thumb"
                aria-label={`Show image ${i + 1} of ${images.length}`}
                aria-pressed={i === index}
                onClick={() => setIndex(i)}
              >
                <img src={image} alt="" width={80} height={80} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
