/**
 * The dependency map: services, their groups and servers, coloured by tier, single points of
 * failure marked. The SVG comes from the host (the same image as in the printed plan) and is shown
 * as an <img>, so even a hostile name inside it can never run as script or load anything.
 */
import { useState } from 'react';
import { svgDataUrl } from './plan-api';

export interface DependencyMapProps {
  svg: string;
  width: number;
  height: number;
  /** What a screen reader says about the picture. */
  label?: string;
}

/** The map at the width of its panel, or at full size (scrolling) for big workspaces. */
export function DependencyMap({
  svg,
  width,
  height,
  label = 'Dependency map of services, service groups and servers',
}: DependencyMapProps) {
  const [fullSize, setFullSize] = useState(false);
  const fits = width <= 1200;
  return (
    <figure className="dependency-map" data-testid="dependency-map">
      <div className={`dependency-map-canvas${fullSize ? ' dependency-map-full' : ''}`}>
        <img src={svgDataUrl(svg)} alt={label} width={width} height={height} />
      </div>
      {!fits && (
        <figcaption>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setFullSize((v) => !v)}
            aria-pressed={fullSize}
          >
            {fullSize ? 'Fit to width' : 'Show full size'}
          </button>
        </figcaption>
      )}
    </figure>
  );
}
