// A small SMTP sink for the browser tests (like koers-testkit's): listens on
// 127.0.0.1, port 0, answers EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT, and
// keeps every message. Each message is stored before the sink answers 250 to its
// DATA, so when Koers's page is back its mail is here.

import net from 'node:net';

/** Decodes a message's single text body (7bit/8bit, quoted-printable or base64). */
function decodeBody(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const cte = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase() || '7bit';
  let bytes;
  if (cte === 'base64') {
    bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  } else if (cte === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const out = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
        out.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.push(...Buffer.from(soft[i], 'latin1'));
      }
    }
    bytes = Buffer.from(out);
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  return { head, text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

export async function startSmtpSink() {
  const messages = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let inData = false;
    let to = [];
    let data = [];
    const reply = (s) => socket.write(`${s}\r\n`);
    reply('220 koers-e2e-sink ESMTP');
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.subarray(0, nl + 1).toString('latin1');
        buffer = buffer.subarray(nl + 1);
        if (inData) {
          if (line === '.\r\n' || line === '.\n') {
            inData = false;
            const raw = data.join('');
            messages.push({ to, raw, ...decodeBody(raw) });
            to = [];
            data = [];
            reply('250 OK queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.trim().split(/\s+/)[0].toUpperCase();
        if (verb === 'EHLO') socket.write('250-koers-e2e-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') reply('250 koers-e2e-sink');
        else if (verb === 'MAIL') { to = []; reply('250 OK'); }
        else if (verb === 'RCPT') { to.push(/<([^>]*)>/.exec(line)?.[1] || ''); reply('250 OK'); }
        else if (verb === 'DATA') { inData = true; reply('354 End data with <CR><LF>.<CR><LF>'); }
        else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
        else if (verb === 'QUIT') { reply('221 Bye'); socket.end(); }
        else reply('502 Command not recognised');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** The first link in the newest message to `address`. */
    linkTo(address) {
      const m = messages.filter((x) => x.to.includes(address)).at(-1);
      return m && /https?:\/\/\S+/.exec(m.text)?.[0];
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** An smtp:// address where nothing listens: a port bound and let go again. */
export async function deadSmtpUrl() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `smtp://127.0.0.1:${port}`;
}
