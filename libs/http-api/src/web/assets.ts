import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

/** The web forms' style: served as a file so the Content-Security-Policy needs no 'unsafe-inline'. */
const FORMS_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin:.75rem 0 .25rem}input[type=email],input[type=password],input[type=text]{width:100%;max-width:28rem;padding:.4rem;font:inherit}
button{font:inherit;padding:.35rem .9rem;margin-top:.5rem;cursor:pointer}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}.error{color:#a00000;font-weight:600}
.token{display:flex;gap:.5rem;align-items:center}.token input{font-family:monospace}nav a{margin-right:1rem}
.inline{display:inline}label.flush{margin:0}
`;

/** Copies the text of the input a button names; works without it too (the token is selectable). */
const FORMS_JS = `document.addEventListener('click',async e=>{const b=e.target.closest('[data-copy]');if(!b)return;
const i=document.getElementById(b.dataset.copy);i.select();let ok=false;
try{await navigator.clipboard.writeText(i.value);ok=true}catch{ok=document.execCommand('copy')}
const s=document.getElementById(b.dataset.copy+'-status');if(s)s.textContent=ok?'Copied.':'Select the token and copy it.'});
`;

@Controller('static')
export class AssetsController {
  @Get('forms.css')
  css(@Res() res: Response): void {
    res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600').send(FORMS_CSS);
  }

  @Get('forms.js')
  js(@Res() res: Response): void {
    res.type('text/javascript; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600').send(FORMS_JS);
  }
}
