// Symbol tables — CPython 3.12's Python/symtable.c in our own words.
//
// Pass 1 (visit*) walks the AST and records, per scope, each name's DEF_*
// flags in first-seen order. Pass 2 (analyzeBlock) resolves each name to a
// scope (LOCAL, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL) and stores it
// in the flags' scope bits, exactly as the C code's ste_symbols values, so
// tests compare our numbers with Python's `symtable` module. PEP 709: list,
// set and dict comprehensions are analysed as their own blocks and then
// inlined into the enclosing scope (ste_comp_inlined); generator
// expressions stay separate functions.

import { PySyntaxError } from './errors.js';

export const DEF_GLOBAL = 1, DEF_LOCAL = 2, DEF_PARAM = 4, DEF_NONLOCAL = 8, USE = 16,
  DEF_FREE = 32, DEF_FREE_CLASS = 64, DEF_IMPORT = 128, DEF_ANNOT = 256, DEF_COMP_ITER = 512,
  DEF_TYPE_PARAM = 1024, DEF_COMP_CELL = 2048;
export const DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;
export const SCOPE_OFFSET = 12, SCOPE_MASK = DEF_GLOBAL | DEF_LOCAL | DEF_PARAM | DEF_NONLOCAL;
export const LOCAL = 1, GLOBAL_EXPLICIT = 2, GLOBAL_IMPLICIT = 3, FREE = 4, CELL = 5;

export const scopeOf = (flags) => (flags >> SCOPE_OFFSET) & SCOPE_MASK;

/** _Py_Mangle: `__name` inside class `klass` becomes `_klass__name`. */
export function mangle(privateName, name) {
  if (!privateName || !name.startsWith('__') || name.endsWith('__') || name.includes('.')) return name;
  const stripped = privateName.replace(/^_+/, '');
  if (!stripped) return name;
  return `_${stripped}${name}`;
}

export class Scope {
  constructor(name, type, node, lineno, parent) {
    this.name = name;
    this.type = type;                 // 'module' | 'class' | 'function'
    this.node = node;
    this.lineno = lineno;
    this.symbols = new Map();         // name -> flags (DEF_* | scope << SCOPE_OFFSET)
    this.varnames = [];               // parameters, in order (ste_varnames)
    this.children = [];
    this.directives = new Map();      // name -> global/nonlocal statement node
    this.nested = !!parent && (parent.nested || parent.type === 'function');
    this.free = false;                // ste_free
    this.childFree = false;           // ste_child_free
    this.generator = false;
    this.coroutine = false;
    this.comprehension = null;        // 'list' | 'set' | 'dict' | 'generator'
    this.compInlined = false;
    this.compIterTarget = false;
    this.compIterExpr = 0;
    this.varargs = false;
    this.varkeywords = false;
    this.returnsValue = false;
    this.needsClassClosure = false;
    this.needsClassdict = false;
    this.private = parent ? parent.private : null;
  }
  get isFunctionLike() { return this.type === 'function'; }
  flags(name) { return this.symbols.get(name) ?? 0; }
  scope(name) { return scopeOf(this.flags(name)); }
}

class Builder {
  constructor() {
    this.cur = null;
    this.top = null;
    this.byNode = new Map();
    this.stack = [];
  }

  error(msg, node) {
    return new PySyntaxError(msg, {
      lineno: node.lineno, col: node.col_offset, endLineno: node.end_lineno, endCol: node.end_col_offset,
    });
  }

  enter(name, type, node, lineno) {
    const s = new Scope(name, type, node, lineno, this.cur);
    if (this.cur) this.cur.children.push(s);
    else this.top = s;
    this.byNode.set(node, s);
    this.stack.push(this.cur);
    this.cur = s;
    return s;
  }

  exit() { this.cur = this.stack.pop(); }

  /** symtable_add_def */
  addDef(name, flag, node, scope = this.cur) {
    const m = mangle(this.cur.private, name);
    let val = scope.symbols.get(m);
    if (val !== undefined) {
      if ((flag & DEF_PARAM) && (val & DEF_PARAM)) {
        throw this.error(`duplicate argument '${m}' in function definition`, node);
      }
      val |= flag;
    } else val = flag;
    if (scope.compIterTarget) {
      val |= DEF_COMP_ITER;
    }
    scope.symbols.set(m, val);
    if (flag & DEF_PARAM) scope.varnames.push(m);
    else if (flag & DEF_GLOBAL) {
      const g = this.top.symbols.get(m);
      this.top.symbols.set(m, flag | (g ?? 0));
    }
  }

  // ---- statements

  stmts(list) { for (const s of list) this.stmt(s); }
  exprs(list) { for (const e of list) if (e) this.expr(e); }

  stmt(s) {
    switch (s.kind) {
      case 'FunctionDef': {
        this.addDef(s.name, DEF_LOCAL, s);
        this.exprs(s.args.defaults);
        this.exprs(s.args.kw_defaults);
        this.exprs(s.decorator_list);
        this.enter(s.name, 'function', s, s.lineno);
        this.args(s.args);
        this.stmts(s.body);
        this.exit();
        return;
      }
      case 'ClassDef': {
        this.addDef(s.name, DEF_LOCAL, s);
        this.exprs(s.bases);
        for (const k of s.keywords) this.expr(k.value);
        this.exprs(s.decorator_list);
        const c = this.enter(s.name, 'class', s, s.lineno);
        c.private = s.name;
        this.stmts(s.body);
        this.exit();
        return;
      }
      case 'Return':
        if (s.value) { this.expr(s.value); this.cur.returnsValue = true; }
        return;
      case 'Delete': this.exprs(s.targets); return;
      case 'Assign': this.exprs(s.targets); this.expr(s.value); return;
      case 'AugAssign': this.expr(s.target); this.expr(s.value); return;
      case 'For':
        this.expr(s.target); this.expr(s.iter); this.stmts(s.body); this.stmts(s.orelse);
        return;
      case 'While': case 'If':
        this.expr(s.test); this.stmts(s.body); this.stmts(s.orelse);
        return;
      case 'Raise': if (s.exc) this.expr(s.exc); if (s.cause) this.expr(s.cause); return;
      case 'Try':
        this.stmts(s.body);
        this.stmts(s.orelse);
        for (const h of s.handlers) {
          if (h.type) this.expr(h.type);
          if (h.name) this.addDef(h.name, DEF_LOCAL, h);
          this.stmts(h.body);
        }
        this.stmts(s.finalbody);
        return;
      case 'Assert': this.expr(s.test); if (s.msg) this.expr(s.msg); return;
      case 'Import': case 'ImportFrom':
        for (const a of s.names) this.alias(a, s);
        return;
      case 'Global': case 'Nonlocal': {
        const isGlobal = s.kind === 'Global';
        const what = isGlobal ? 'global' : 'nonlocal';
        for (const name of s.names) {
          const cur = this.cur.flags(mangle(this.cur.private, name));
          if (cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            let msg;
            if (cur & DEF_PARAM) msg = `name '${name}' is parameter and ${what}`;
            else if (cur & USE) msg = `name '${name}' is used prior to ${what} declaration`;
            else if (cur & DEF_ANNOT) msg = `annotated name '${name}' can't be ${what}`;
            else msg = `name '${name}' is assigned to before ${what} declaration`;
            throw this.error(msg, s);
          }
          this.addDef(name, isGlobal ? DEF_GLOBAL : DEF_NONLOCAL, s);
          this.cur.directives.set(mangle(this.cur.private, name), s);
        }
        return;
      }
      case 'Expr': this.expr(s.value); return;
      case 'Pass': case 'Break': case 'Continue': return;
      case 'With':
        for (const it of s.items) {
          this.expr(it.context_expr);
          if (it.optional_vars) this.expr(it.optional_vars);
        }
        this.stmts(s.body);
        return;
      default: throw new Error(`symtable: unknown statement ${s.kind}`);
    }
  }

  alias(a, s) {
    const store = a.asname ?? (a.name.includes('.') ? a.name.slice(0, a.name.indexOf('.')) : a.name);
    if (a.name === '*') {
      if (this.cur.type !== 'module') throw this.error('import * only allowed at module level', a);
      return;
    }
    this.addDef(store, DEF_IMPORT, a);
  }

  args(A) {
    for (const a of [...A.posonlyargs, ...A.args, ...A.kwonlyargs]) this.addDef(a.arg, DEF_PARAM, a);
    if (A.vararg) { this.addDef(A.vararg.arg, DEF_PARAM, A.vararg); this.cur.varargs = true; }
    if (A.kwarg) { this.addDef(A.kwarg.arg, DEF_PARAM, A.kwarg); this.cur.varkeywords = true; }
  }

  // ---- expressions

  expr(e) {
    switch (e.kind) {
      case 'BoolOp': this.exprs(e.values); return;
      case 'BinOp': this.expr(e.left); this.expr(e.right); return;
      case 'UnaryOp': this.expr(e.operand); return;
      case 'Lambda': {
        this.exprs(e.args.defaults);
        this.exprs(e.args.kw_defaults);
        this.enter('lambda', 'function', e, e.lineno);
        this.args(e.args);
        this.expr(e.body);
        this.exit();
        return;
      }
      case 'IfExp': this.expr(e.test); this.expr(e.body); this.expr(e.orelse); return;
      case 'Dict': this.exprs(e.keys); this.exprs(e.values); return;
      case 'Set': this.exprs(e.elts); return;
      case 'GeneratorExp': this.comprehension(e, 'genexpr', 'generator', e.elt, null); return;
      case 'ListComp': this.comprehension(e, 'listcomp', 'list', e.elt, null); return;
      case 'SetComp': this.comprehension(e, 'setcomp', 'set', e.elt, null); return;
      case 'DictComp': this.comprehension(e, 'dictcomp', 'dict', e.key, e.value); return;
      case 'Yield': case 'YieldFrom':
        if (e.value) this.expr(e.value);
        this.cur.generator = true;
        if (this.cur.comprehension) {
          throw this.error(`'yield' inside ${this.cur.comprehension === 'generator' ? 'generator expression' : `${this.cur.comprehension} comprehension`}`, e);
        }
        return;
      case 'Compare': this.expr(e.left); this.exprs(e.comparators); return;
      case 'Call':
        this.expr(e.func); this.exprs(e.args);
        for (const k of e.keywords) this.expr(k.value);
        return;
      case 'FormattedValue': this.expr(e.value); if (e.format_spec) this.expr(e.format_spec); return;
      case 'JoinedStr': this.exprs(e.values); return;
      case 'Constant': return;
      case 'Attribute': this.expr(e.value); return;
      case 'Subscript': this.expr(e.value); this.expr(e.slice); return;
      case 'Starred': this.expr(e.value); return;
      case 'Slice': for (const x of [e.lower, e.upper, e.step]) if (x) this.expr(x); return;
      case 'Name':
        this.addDef(e.id, e.ctx === 'Load' ? USE : DEF_LOCAL, e);
        // super() counts as a use of __class__
        if (e.ctx === 'Load' && this.cur.isFunctionLike && e.id === 'super') this.addDef('__class__', USE, e);
        return;
      case 'List': case 'Tuple': this.exprs(e.elts); return;
      default: throw new Error(`symtable: unknown expression ${e.kind}`);
    }
  }

  /** symtable_handle_comprehension */
  comprehension(e, scopeName, kind, elt, value) {
    const [outer, ...rest] = e.generators;
    this.cur.compIterExpr++;
    this.expr(outer.iter);
    this.cur.compIterExpr--;
    const s = this.enter(scopeName, 'function', e, e.lineno);
    s.comprehension = kind;
    this.addDef('.0', DEF_PARAM, e);
    s.compIterTarget = true;
    this.expr(outer.target);
    s.compIterTarget = false;
    this.exprs(outer.ifs);
    for (const g of rest) {
      s.compIterTarget = true;
      this.expr(g.target);
      s.compIterTarget = false;
      s.compIterExpr++;
      this.expr(g.iter);
      s.compIterExpr--;
      this.exprs(g.ifs);
    }
    if (value) this.expr(value);
    this.expr(elt);
    s.generator = kind === 'generator';
    this.exit();
  }

  // ---- pass 2

  /** analyze_name */
  analyzeName(ste, scopes, name, flags, bound, local, free, global) {
    if (flags & DEF_GLOBAL) {
      if (flags & DEF_NONLOCAL) throw this.error(`name '${name}' is nonlocal and global`, ste.directives.get(name));
      scopes.set(name, GLOBAL_EXPLICIT);
      global.add(name);
      if (bound) bound.delete(name);
      return;
    }
    if (flags & DEF_NONLOCAL) {
      if (!bound) throw this.error('nonlocal declaration not allowed at module level', ste.directives.get(name));
      if (!bound.has(name)) throw this.error(`no binding for nonlocal '${name}' found`, ste.directives.get(name));
      scopes.set(name, FREE);
      ste.free = true;
      free.add(name);
      return;
    }
    if (flags & DEF_BOUND) {
      scopes.set(name, LOCAL);
      local.add(name);
      global.delete(name);
      return;
    }
    if (bound && bound.has(name)) {
      scopes.set(name, FREE);
      ste.free = true;
      free.add(name);
      return;
    }
    if (global && global.has(name)) { scopes.set(name, GLOBAL_IMPLICIT); return; }
    if (ste.nested) ste.free = true;
    scopes.set(name, GLOBAL_IMPLICIT);
  }

  /** analyze_block; `free` collects this block's unresolved free names. */
  analyzeBlock(ste, bound, free, global) {
    const local = new Set(), scopes = new Map();
    const newglobal = new Set(), newfree = new Set(), newbound = new Set(), inlinedCells = new Set();
    if (ste.type === 'class') {
      for (const g of global) newglobal.add(g);
      if (bound) for (const b of bound) newbound.add(b);
    }
    for (const [name, flags] of ste.symbols) this.analyzeName(ste, scopes, name, flags, bound, local, free, global);
    if (ste.type !== 'class') {
      if (ste.isFunctionLike) for (const l of local) newbound.add(l);
      if (bound) for (const b of bound) newbound.add(b);
      for (const g of global) newglobal.add(g);
    } else {
      newbound.add('__class__');
      newbound.add('__classdict__');
    }
    for (const child of ste.children) {
      const inline = child.comprehension && child.comprehension !== 'generator';
      const childFree = new Set(newfree);
      this.analyzeBlock(child, new Set(newbound), childFree, new Set(newglobal));
      if (inline) {
        this.inlineComprehension(ste, child, scopes, childFree, inlinedCells);
        child.compInlined = true;
      }
      for (const f of childFree) newfree.add(f);
      if (child.free || child.childFree) ste.childFree = true;
    }
    // splice the children of inlined comprehensions into our list
    for (let i = ste.children.length - 1; i >= 0; i--) {
      const c = ste.children[i];
      if (c.compInlined) ste.children.splice(i, 1, ...c.children);
    }
    if (ste.isFunctionLike) {
      // analyze_cells: locals that children use freely become cells
      for (const [name, sc] of scopes) {
        if (sc !== LOCAL) continue;
        if (!newfree.has(name) && !inlinedCells.has(name)) continue;
        scopes.set(name, CELL);
        newfree.delete(name);
      }
    } else if (ste.type === 'class') {
      if (newfree.delete('__class__')) ste.needsClassClosure = true;
      if (newfree.delete('__classdict__')) ste.needsClassdict = true;
    }
    this.updateSymbols(ste, scopes, bound, newfree, inlinedCells, ste.type === 'class');
    for (const f of newfree) free.add(f);
  }

  /** inline_comprehension (PEP 709) */
  inlineComprehension(ste, comp, scopes, compFree, inlinedCells) {
    for (const [k, v] of comp.symbols) {
      if (v & DEF_PARAM) continue; // the .0 argument
      let scope = scopeOf(v);
      let only = v & ((1 << SCOPE_OFFSET) - 1);
      if (scope === CELL || (only & DEF_COMP_CELL)) inlinedCells.add(k);
      const existing = ste.symbols.get(k);
      if (existing === undefined) {
        if (scope === FREE && ste.type === 'class' && k === '__class__') {
          scope = GLOBAL_IMPLICIT;
          only &= ~DEF_FREE;
          compFree.delete(k);
        }
        ste.symbols.set(k, only);
        scopes.set(k, scope);
      } else if ((existing & DEF_BOUND) && !isFreeInAnyChild(comp, k) && ste.type !== 'class') {
        compFree.delete(k);
      }
    }
  }

  /** update_symbols */
  updateSymbols(ste, scopes, bound, free, inlinedCells, classflag) {
    for (const [name, flags0] of ste.symbols) {
      let flags = flags0;
      if (inlinedCells.has(name)) flags |= DEF_COMP_CELL;
      ste.symbols.set(name, flags | (scopes.get(name) << SCOPE_OFFSET));
    }
    for (const name of free) {
      const v = ste.symbols.get(name);
      if (v !== undefined) {
        if (classflag) ste.symbols.set(name, v | DEF_FREE_CLASS);
        continue;
      }
      if (bound && !bound.has(name)) continue; // a global
      ste.symbols.set(name, FREE << SCOPE_OFFSET);
    }
  }
}

function isFreeInAnyChild(entry, key) {
  for (const c of entry.children) {
    if (scopeOf(c.flags(key)) === FREE) return true;
    if (isFreeInAnyChild(c, key)) return true;
  }
  return false;
}

/**
 * Build the symbol tables of a Module AST. Returns { top, byNode } where
 * byNode maps FunctionDef/ClassDef/Lambda/comprehension nodes to their Scope.
 * Throws PySyntaxError for CPython's symtable errors.
 */
export function buildSymtable(mod) {
  const b = new Builder();
  b.enter('top', 'module', mod, 0);
  b.stmts(mod.body);
  b.exit();
  b.analyzeBlock(b.top, null, new Set(), new Set());
  return { top: b.top, byNode: b.byNode };
}
