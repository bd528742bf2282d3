// @ts-check
/** JSX-like templates without a build step: html`<p>${text}</p>`. */
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
