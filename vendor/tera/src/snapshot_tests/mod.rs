mod build_errors;
mod compiler;
mod lexer;
mod parser;
mod rendering;
mod utils;
