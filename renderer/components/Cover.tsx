// A cover thumbnail: lazy, with a placeholder while loading and the title as fallback on error.
import { useState } from 'react';
import type { ComicSummary } from '../../shared/types.js';
import { displayTitle } from '../lib/format.js';
import { useStores } from '../store/context.js';
import { WarningIcon } from './icons.js';
import '../styles/cover-badges.css';

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
      {/* The title on a placeholder is drawn from an attribute, not text: the caption under the cover
          already names the comic, and a second copy in the text would break the option's accessible
          name (WCAG 2.5.3, label in name). */}
      <div className="cover-fallback" aria-hidden="true">
        {comic.errorKind && <WarningIcon size={18} />}
        <span className="cover-fallback-title" data-title={title} />
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
