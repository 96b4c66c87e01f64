//! A small SMTP sink for tests: a tokio server on 127.0.0.1, port 0, that answers
//! EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP and QUIT, keeps every
//! message it accepts, and stops when dropped. Messages are read back with
//! `mail-parser`, not with the code that wrote them. Each message is stored before
//! the sink answers 250 to its DATA, so once Koers's page has come back the mail it
//! sent is in [`SmtpSink::messages`]; no waiting.

use base64::Engine;
use mail_parser::MimeHeaders;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as the sink received it, with its parts read back.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// `MAIL FROM` of the envelope.
    pub envelope_from: String,
    /// `RCPT TO`s of the envelope.
    pub envelope_to: Vec<String>,
    /// The user name of `AUTH PLAIN` in this conversation, if any.
    pub auth_user: Option<String>,
    /// The name the client gave in EHLO (or HELO).
    pub hello: String,
    /// The message as sent (after undoing SMTP's dot-stuffing).
    pub raw: Vec<u8>,
    pub from: String,
    pub to: Vec<String>,
    /// Decoded (RFC 2047).
    pub subject: String,
    /// The plain-text body, decoded (quoted-printable, base64, charset).
    pub text: String,
    pub message_id: Option<String>,
    pub has_date: bool,
    /// The message's `Content-Type`, e.g. `text/plain`.
    pub content_type: String,
    /// How many parts of type text/html the message has.
    pub html_parts: usize,
}

impl ReceivedMail {
    fn read(
        envelope_from: String,
        envelope_to: Vec<String>,
        auth_user: Option<String>,
        hello: String,
        raw: Vec<u8>,
    ) -> Self {
        let parsed = mail_parser::MessageParser::default().parse(&raw);
        let addrs = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
            a.map(|a| {
                a.iter()
                    .filter_map(|m| m.address().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
        };
        let (from, to, subject, text, message_id, has_date, content_type, html_parts) =
            match &parsed {
                Some(m) => (
                    addrs(m.from()).into_iter().next().unwrap_or_default(),
                    addrs(m.to()),
                    m.subject().unwrap_or_default().to_owned(),
                    m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
                    m.message_id().map(str::to_owned),
                    m.date().is_some(),
                    m.content_type()
                        .map(|c| match c.subtype() {
                            Some(sub) => format!("{}/{sub}", c.ctype()),
                            None => c.ctype().to_owned(),
                        })
                        .unwrap_or_default(),
                    m.parts
                        .iter()
                        .filter(|p| {
                            p.content_type().is_some_and(|c| {
                                c.ctype().eq_ignore_ascii_case("text")
                                    && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
                            })
                        })
                        .count(),
                ),
                None => Default::default(),
            };
        Self {
            envelope_from,
            envelope_to,
            auth_user,
            hello,
            raw,
            from,
            to,
            subject,
            text,
            message_id,
            has_date,
            content_type,
            html_parts,
        }
    }

    /// The first `http(s)://` link in the text, up to the next white space.
    pub fn first_link(&self) -> Option<String> {
        let i = self.text.find("http")?;
        let rest = &self.text[i..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }
}

/// How the sink treats messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkMode {
    /// Accepts every message.
    Accept,
    /// Refuses every recipient with a permanent error (`550`), as a server does
    /// for an address it does not know.
    RefuseRecipients,
}

/// A running sink; stops when dropped.
pub struct SmtpSink {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    /// A sink that accepts everything.
    pub async fn start() -> (SocketAddr, SmtpSink) {
        Self::start_with(SinkMode::Accept).await
    }

    pub async fn start_with(mode: SinkMode) -> (SocketAddr, SmtpSink) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let messages: Arc<Mutex<Vec<ReceivedMail>>> = Arc::default();
        let store = messages.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = conversation(stream, mode, store).await;
                });
            }
        });
        (
            addr,
            SmtpSink {
                addr,
                messages,
                task,
            },
        )
    }

    /// `smtp://127.0.0.1:PORT`, for `mail.smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.messages.lock().unwrap().clone()
    }

    /// The messages accepted for this recipient (envelope).
    pub fn messages_to(&self, address: &str) -> Vec<ReceivedMail> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m.envelope_to
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(address))
            })
            .collect()
    }
}

/// An address where no SMTP server listens (a port bound and let go again), for
/// "the mail server is down".
pub async fn dead_smtp_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr
}

fn path_arg(line: &str) -> String {
    let (Some(i), Some(j)) = (line.find('<'), line.rfind('>')) else {
        return String::new();
    };
    if j < i {
        return String::new();
    }
    line[i + 1..j].to_owned()
}

async fn conversation(
    stream: TcpStream,
    mode: SinkMode,
    store: Arc<Mutex<Vec<ReceivedMail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 koers-sink ESMTP\r\n").await?;
    let mut from = String::new();
    let mut to: Vec<String> = vec![];
    let mut auth_user = None;
    let mut hello = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("");
        let reply: &[u8] = match verb {
            "EHLO" | "HELO" => {
                hello = cmd.split_whitespace().nth(1).unwrap_or("").to_owned();
                if verb == "EHLO" {
                    b"250-koers-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN\r\n"
                } else {
                    b"250 koers-sink\r\n"
                }
            }
            "AUTH" => {
                let arg = cmd.split_whitespace().nth(2).unwrap_or("");
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(arg)
                    .unwrap_or_default();
                let parts: Vec<&[u8]> = decoded.split(|b| *b == 0).collect();
                match parts.as_slice() {
                    [_, user, _] => {
                        auth_user = Some(String::from_utf8_lossy(user).into_owned());
                        b"235 2.7.0 Authentication successful\r\n"
                    }
                    _ => b"501 5.5.2 AUTH PLAIN with an initial response only\r\n",
                }
            }
            "MAIL" => {
                from = path_arg(&cmd);
                to.clear();
                b"250 2.1.0 OK\r\n"
            }
            "RCPT" => match mode {
                SinkMode::Accept => {
                    to.push(path_arg(&cmd));
                    b"250 2.1.5 OK\r\n"
                }
                SinkMode::RefuseRecipients => b"550 5.1.1 No such user here\r\n",
            },
            "DATA" if to.is_empty() => b"554 5.5.1 No valid recipients\r\n",
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut raw = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if read.read_until(b'\n', &mut l).await? == 0 {
                        return Ok(());
                    }
                    if l == b".\r\n" || l == b".\n" {
                        break;
                    }
                    let l = if l.starts_with(b"..") {
                        &l[1..]
                    } else {
                        &l[..]
                    };
                    raw.extend_from_slice(l);
                }
                let mail = ReceivedMail::read(
                    from.clone(),
                    std::mem::take(&mut to),
                    auth_user.clone(),
                    hello.clone(),
                    raw,
                );
                store.lock().unwrap().push(mail);
                b"250 2.0.0 OK queued\r\n"
            }
            "RSET" => {
                from.clear();
                to.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 Command not recognised\r\n",
        };
        write.write_all(reply).await?;
    }
}
