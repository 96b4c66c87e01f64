//! Rule conditions: the `when` grammar of model files.
//!
//! ```text
//! or      = and ( "||" and )*
//! and     = unary ( "&&" unary )*
//! unary   = "!" unary | "(" or ")" | compare
//! compare = operand ( "<" | "<=" | ">" | ">=" | "==" ) operand
//! operand = number | name          name = a dimension id or `overall`
//! ```
//!
//! Own code rather than an expression crate: the grammar is ten lines, the evaluator
//! must treat a missing score as "the rule does not hold" (no general-purpose crate
//! has that three-valued rule built in), and every name must be checked against the
//! model's dimensions when the file is loaded, with the column of the bad name.

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Number(f64),
    /// A dimension id, or `overall`.
    Name(String),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Operand, Cmp, Operand),
    Not(Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

/// A condition that does not parse: the message and the byte offset in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Cmp(Cmp),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let mut out = Vec::new();
    let bytes: Vec<(usize, char)> = src.char_indices().collect();
    let mut i = 0;
    let err = |offset: usize, message: String| ExprError { offset, message };
    while i < bytes.len() {
        let (at, c) = bytes[i];
        let next = bytes.get(i + 1).map(|(_, c)| *c);
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push((at, Tok::Open));
                i += 1;
            }
            ')' => {
                out.push((at, Tok::Close));
                i += 1;
            }
            '&' if next == Some('&') => {
                out.push((at, Tok::And));
                i += 2;
            }
            '|' if next == Some('|') => {
                out.push((at, Tok::Or));
                i += 2;
            }
            '=' if next == Some('=') => {
                out.push((at, Tok::Cmp(Cmp::Eq)));
                i += 2;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                let op = match (c, eq) {
                    ('<', false) => Cmp::Lt,
                    ('<', true) => Cmp::Le,
                    ('>', false) => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                out.push((at, Tok::Cmp(op)));
                i += if eq { 2 } else { 1 };
            }
            '!' if next != Some('=') => {
                out.push((at, Tok::Not));
                i += 1;
            }
            c if is_name_char(c) || c == '.' => {
                let start = i;
                while i < bytes.len() && (is_name_char(bytes[i].1) || bytes[i].1 == '.') {
                    i += 1;
                }
                let end = bytes.get(i).map_or(src.len(), |(o, _)| *o);
                let word = &src[at..end];
                let _ = start;
                if word.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                    match word.parse::<f64>() {
                        Ok(n) if n.is_finite() => out.push((at, Tok::Num(n))),
                        _ if word.contains('.') => {
                            return Err(err(at, format!("`{word}` is not a number")))
                        }
                        _ => out.push((at, Tok::Name(word.to_owned()))),
                    }
                } else if word.contains('.') {
                    return Err(err(at, format!("`{word}` is not a dimension id")));
                } else {
                    out.push((at, Tok::Name(word.to_owned())));
                }
            }
            other => {
                return Err(err(
                    at,
                    format!("unexpected `{other}`; expected a dimension id, a number, < <= > >= ==, &&, ||, ! or parentheses"),
                ))
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn fail<T>(&self, message: &str) -> Result<T, ExprError> {
        Err(ExprError {
            offset: self.offset(),
            message: message.to_owned(),
        })
    }

    fn or(&mut self, depth: usize) -> Result<Condition, ExprError> {
        if depth > 64 {
            return self.fail("the condition is nested too deeply");
        }
        let mut left = self.and(depth)?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            let right = self.and(depth)?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Condition, ExprError> {
        let mut left = self.unary(depth)?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            let right = self.unary(depth)?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, ExprError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                if depth > 64 {
                    return self.fail("the condition is nested too deeply");
                }
                Ok(Condition::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let inner = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return self.fail("expected `)`");
                }
                self.pos += 1;
                Ok(inner)
            }
            _ => {
                let a = self.operand()?;
                let op = match self.peek() {
                    Some(Tok::Cmp(op)) => *op,
                    _ => return self.fail("expected one of < <= > >= =="),
                };
                self.pos += 1;
                let b = self.operand()?;
                Ok(Condition::Compare(a, op, b))
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, ExprError> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Operand::Number(n))
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                Ok(Operand::Name(n))
            }
            _ => self.fail("expected a dimension id, `overall` or a number"),
        }
    }
}

impl Condition {
    /// Parses a `when` expression.
    pub fn parse(src: &str) -> Result<Condition, ExprError> {
        let toks = lex(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            end: src.len(),
        };
        let c = p.or(0)?;
        if p.pos != p.toks.len() {
            return p.fail("expected `&&`, `||` or the end of the condition");
        }
        Ok(c)
    }

    /// Every name used, with nothing else; for checking against the model.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Compare(a, _, b) => {
                for o in [a, b] {
                    if let Operand::Name(n) = o {
                        out.push(n);
                    }
                }
            }
            Condition::Not(c) => c.collect(out),
            Condition::And(a, b) | Condition::Or(a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// Evaluates the condition; `value` gives a name's score, `None` when it has none.
    /// A comparison with a missing score does not hold, and neither does its negation:
    /// a rule about a dimension without a score never fires.
    pub fn holds(&self, value: &dyn Fn(&str) -> Option<f64>) -> bool {
        self.eval(value).unwrap_or(false)
    }

    fn eval(&self, value: &dyn Fn(&str) -> Option<f64>) -> Option<bool> {
        match self {
            Condition::Compare(a, op, b) => {
                let get = |o: &Operand| match o {
                    Operand::Number(n) => Some(*n),
                    Operand::Name(n) => value(n),
                };
                let (a, b) = (get(a)?, get(b)?);
                Some(match op {
                    Cmp::Lt => a < b,
                    Cmp::Le => a <= b,
                    Cmp::Gt => a > b,
                    Cmp::Ge => a >= b,
                    Cmp::Eq => (a - b).abs() < 1e-9,
                })
            }
            Condition::Not(c) => c.eval(value).map(|b| !b),
            Condition::And(a, b) => Some(a.eval(value)? && b.eval(value)?),
            Condition::Or(a, b) => match (a.eval(value), b.eval(value)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_and_evaluates() {
        let c = Condition::parse("gereedheid >= 60 && (mensen < 40 || !(overall > 10))").unwrap();
        assert_eq!(c.names(), vec!["gereedheid", "mensen", "overall"]);
        let v = |n: &str| match n {
            "gereedheid" => Some(70.0),
            "mensen" => Some(30.0),
            _ => None,
        };
        assert!(c.holds(&v));
        let v2 = |n: &str| match n {
            "gereedheid" => Some(70.0),
            "mensen" => Some(50.0),
            _ => None,
        };
        assert!(!c.holds(&v2), "overall missing: the right side is unknown");
        assert!(!Condition::parse("!(x > 1)").unwrap().holds(&|_| None));
    }

    #[test]
    fn errors_name_the_place() {
        let e = Condition::parse("a >= 60 &&").unwrap_err();
        assert_eq!(e.offset, 10);
        let e = Condition::parse("a = 3").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(Condition::parse("a > 3 b").is_err());
        assert!(Condition::parse("((a > 3)").is_err());
        assert!(Condition::parse(&"(".repeat(500)).is_err());
    }
}
