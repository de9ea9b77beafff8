// A cover thumbnail: lazy, with a placeholder while loading and the title as fallback on error.
import { useState } from 'react';
import type { ComicSummary } from '../../shared/types.js';
import { displayTitle } from '../lib/format.js';
import { useStores } from '../store/context.js';
import { WarningIcon } from './icons.js';

/** A calm hue per series, so placeholders of one series look alike. */
export function hueOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h) % 360;
}

export function Cover({ comic, className = '' }: { comic: ComicSummary; className?: string }) {
  const { api } = useStores();
  const src = comic.errorKind ? null : api.coverUrl(comic.id, comic.fingerprint);
  return <CoverImage key={src ?? `err-${comic.id}`} comic={comic} src={src} className={className} />;
}

function CoverImage({ comic, src, className }: { comic: ComicSummary; src: string | null; className: string }) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>(src ? 'loading' : 'failed');
  const title = displayTitle(comic);
  return (
    <div className={`cover ${className}`} data-state={state} style={{ ['--hue' as string]: hueOf(comic.series ?? comic.folder ?? comic.fileName) }}>
      <div className="cover-fallback" aria-hidden={state !== 'failed'}>
        {comic.errorKind && <WarningIcon size={18} />}
        <span>{title}</span>
      </div>
      {src && state !== 'failed' && (
        <img
          src={src}
          alt=""
          loading="lazy"
          decoding="async"
          draggable={false}
          onLoad={() => setState('loaded')}
          onError={() => setState('failed')}
        />
      )}
    </div>
  );
}
