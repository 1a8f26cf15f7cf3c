import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { TopologyAnalysis } from '../../../../shared/analysis'
import type { SavedTopology } from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import {
  parseDocument,
  type FieldIssue,
  type LinkKind,
  type TopologyInput,
} from '../../../../shared/formats'
import { useClient } from '../../api/provide'
import { errorMessage } from '../../api/replies'
import { autoLayout } from './model/autoLayout'
import { copySelection, pasteClipboard, type ClipboardContent } from './model/clipboard'
import * as edits from './model/documentEdits'
import {
  draftFromTopology,
  emptyDocument,
  exportFileName,
  exportTopology,
  type DraftKind,
  type DraftLink,
  type EditorDocument,
  type FlowPosition,
} from './model/editorDocument'
import type { EditorSelection } from './model/flowConversion'
import {
  canRedo,
  canUndo,
  createHistory,
  pushHistory,
  redoHistory,
  sealHistory,
  undoHistory,
} from './model/history'
import { issueCountByComponent } from './model/issueFields'
import { allowedLinkKinds, defaultLink, suggestLinkKind } from './model/linkDefaults'

/** A connection drawn on the canvas, waiting for the user to pick the link's kind. */
export interface PendingLink {
  a: string
  b: string
  kinds: LinkKind[]
  suggested: LinkKind
}

const NO_SELECTION: EditorSelection = { components: [], links: [] }

/**
 * The topology editor: the document (a `tierlab.topology/v1` draft plus canvas positions) with
 * undo/redo, the selection, the clipboard, the live analysis and the link to the saved copy.
 */
export const useEditorStore = defineStore('topology-editor', () => {
  const client = useClient()

  const history = shallowRef(createHistory<EditorDocument>(emptyDocument()))
  const document = computed(() => history.value.present)
  const topology = computed(() => history.value.present.topology)
  const selection = shallowRef<EditorSelection>(NO_SELECTION)
  const clipboard = shallowRef<ClipboardContent | null>(null)
  const pendingLink = ref<PendingLink | null>(null)

  const analysis = shallowRef<TopologyAnalysis | null>(null)
  /** Why the host could not analyse the draft (its per-field issues). */
  const analysisIssues = shallowRef<FieldIssue[]>([])
  const analysisError = ref<string | null>(null)
  const analysing = ref(false)
  let analysisSeq = 0

  /** Bumped whenever a different document is loaded, so the canvas can fit it to the view. */
  const loadCount = ref(0)
  const savedId = ref<number | null>(null)
  const savedText = ref<string | null>(null)
  const busy = ref(false)
  /** One line for the status bar: what just happened, or what went wrong. */
  const status = ref<{ kind: 'info' | 'error'; text: string } | null>(null)

  /** Validation of the draft with the same zod schema the host uses, per field. */
  const issues = computed<FieldIssue[]>(() => {
    const res = parseDocument('topology', topology.value)
    return res.ok ? [] : res.issues
  })
  const issueCounts = computed(() => issueCountByComponent(issues.value, topology.value))
  const exportText = computed(() => JSON.stringify(exportTopology(topology.value), null, 2) + '\n')
  const dirty = computed(() => savedText.value !== exportText.value)
  /** Work that would be lost by replacing the document: unsaved changes to a non-empty drawing. */
  const unsavedWork = computed(() => dirty.value && topology.value.components.length > 0)
  const undoable = computed(() => canUndo(history.value))
  const redoable = computed(() => canRedo(history.value))

  const selectedComponent = computed(() => {
    const [id] = selection.value.components
    if (selection.value.components.length !== 1 || selection.value.links.length > 0) return null
    const index = topology.value.components.findIndex((c) => c.id === id)
    return index < 0 ? null : { index, component: topology.value.components[index] }
  })
  const selectedLink = computed(() => {
    const [index] = selection.value.links
    if (selection.value.links.length !== 1 || selection.value.components.length > 0) return null
    const link = topology.value.links[index]
    return link ? { index, link } : null
  })

  function commit(next: EditorDocument, coalesceKey: string | null = null): void {
    history.value = pushHistory(history.value, next, coalesceKey)
  }

  /** Replaces the selection; an equal one is ignored, so canvas ↔ store syncing settles. */
  function setSelection(next: EditorSelection): void {
    const now = selection.value
    const same = (a: readonly unknown[], b: readonly unknown[]) =>
      a.length === b.length && a.every((v, i) => v === b[i])
    if (same(now.components, next.components) && same(now.links, next.links)) return
    selection.value = { components: [...next.components], links: [...next.links] }
  }

  /** Drops selected ids that no longer exist (after undo, delete, load). */
  function pruneSelection(): void {
    const ids = new Set(topology.value.components.map((c) => c.id))
    const n = topology.value.links.length
    setSelection({
      components: selection.value.components.filter((id) => ids.has(id)),
      links: selection.value.links.filter((i) => i < n),
    })
  }

  function addComponent(kind: DraftKind, position: FlowPosition): string {
    const { doc, id } = edits.addComponent(document.value, kind, position)
    commit(doc)
    setSelection({ components: [id], links: [] })
    return id
  }

  function moveComponents(moved: Record<string, FlowPosition>): void {
    commit(edits.moveComponents(document.value, moved))
  }

  /** Edits one field of a component; typing into one field is one undo step. */
  function updateComponent(id: string, path: readonly string[], value: unknown): void {
    commit(
      edits.setComponentField(document.value, id, path, value),
      `component:${id}:${path.join('.')}`,
    )
    if (path[0] === 'id' && typeof value === 'string') {
      setSelection({
        components: selection.value.components.map((c) => (c === id ? value : c)),
        links: selection.value.links,
      })
      // The next edit of the renamed component has a new key anyway; seal to keep steps clear.
      history.value = sealHistory(history.value)
    }
  }

  function updateLink(index: number, field: keyof DraftLink, value: unknown): void {
    commit(edits.setLinkField(document.value, index, field, value), `link:${index}:${field}`)
  }

  function changeLinkKind(index: number, kind: LinkKind): void {
    const link = topology.value.links[index]
    if (!link || link.kind === kind) return
    commit(edits.changeLinkKind(document.value, index, kind, defaultLink(link.a, link.b, kind)))
  }

  function setName(name: string): void {
    commit(edits.setTopologyField(document.value, 'name', name), 'topology:name')
  }

  function setDescription(text: string): void {
    commit(
      edits.setTopologyField(document.value, 'description', text === '' ? undefined : text),
      'topology:description',
    )
  }

  /** A connection drawn on the canvas: ask for the kind (the picker calls confirmLink). */
  function requestLink(a: string, b: string): void {
    if (a === b) return
    const ca = topology.value.components.find((c) => c.id === a)
    const cb = topology.value.components.find((c) => c.id === b)
    if (!ca || !cb) return
    pendingLink.value = {
      a,
      b,
      kinds: allowedLinkKinds(ca.kind, cb.kind),
      suggested: suggestLinkKind(ca.kind, cb.kind),
    }
  }

  function confirmLink(kind: LinkKind): void {
    const pending = pendingLink.value
    if (!pending) return
    pendingLink.value = null
    commit(edits.addLink(document.value, defaultLink(pending.a, pending.b, kind)))
    setSelection({ components: [], links: [topology.value.links.length - 1] })
  }

  function cancelLink(): void {
    pendingLink.value = null
  }

  function deleteSelection(): void {
    const { components, links } = selection.value
    if (components.length === 0 && links.length === 0) return
    commit(edits.removeElements(document.value, components, links))
    setSelection(NO_SELECTION)
  }

  function copy(): boolean {
    const clip = copySelection(document.value, selection.value.components)
    if (clip) clipboard.value = clip
    return clip !== null
  }

  function paste(): void {
    if (!clipboard.value) return
    const { doc, ids } = pasteClipboard(document.value, clipboard.value)
    commit(doc)
    setSelection({ components: ids, links: [] })
    // Pasting again offsets from the copies, not on top of them.
    clipboard.value = copySelection(doc, ids)
  }

  function undo(): void {
    history.value = undoHistory(history.value)
    pruneSelection()
  }

  function redo(): void {
    history.value = redoHistory(history.value)
    pruneSelection()
  }

  function layout(): void {
    commit({ ...document.value, positions: autoLayout(topology.value) })
  }

  /**
   * Replaces the document (new, preset, opened, imported), laid out, as one more undo step: Ctrl+Z
   * brings back the drawing it replaced, so New or Open never loses work for good.
   */
  function replaceDocument(next: EditorDocument): void {
    const empty = history.value.present.topology.components.length === 0
    history.value =
      empty && !canUndo(history.value)
        ? createHistory(next)
        : pushHistory(sealHistory(history.value), next)
  }

  function load(input: TopologyInput, saved: SavedTopology | null = null): void {
    const draft = draftFromTopology(input)
    replaceDocument({ topology: draft, positions: autoLayout(draft) })
    savedId.value = saved?.id ?? null
    savedText.value = saved ? exportText.value : null
    selection.value = NO_SELECTION
    pendingLink.value = null
    analysis.value = null
    analysisIssues.value = []
    loadCount.value++
  }

  function newDocument(): void {
    replaceDocument(emptyDocument())
    savedId.value = null
    savedText.value = null
    selection.value = NO_SELECTION
    analysis.value = null
    analysisIssues.value = []
    status.value = null
    loadCount.value++
  }

  /** Puts back a draft kept across a reload (editorDraft.ts), with its link to the saved copy. */
  function restoreDraft(
    doc: EditorDocument,
    saved: { id: number | null; text: string | null },
  ): void {
    history.value = createHistory(doc)
    savedId.value = saved.id
    savedText.value = saved.text
    selection.value = NO_SELECTION
    loadCount.value++
  }

  /** Runs the host's analysis of the current draft; late answers to older drafts are dropped. */
  async function analyze(): Promise<void> {
    const seq = ++analysisSeq
    const draft = topology.value
    if (issues.value.length > 0) {
      // The host would refuse it with the same issues; no round trip needed.
      analysis.value = null
      analysisIssues.value = issues.value
      analysisError.value = null
      return
    }
    analysing.value = true
    try {
      const res = await client.call('topology.analyze', { topology: draft })
      if (seq !== analysisSeq) return
      analysisError.value = null
      if (res.ok) {
        analysis.value = res.analysis
        analysisIssues.value = []
      } else {
        analysis.value = null
        analysisIssues.value = res.issues
      }
    } catch (e) {
      if (seq !== analysisSeq) return
      analysis.value = null
      analysisError.value = errorMessage(e)
    } finally {
      if (seq === analysisSeq) analysing.value = false
    }
  }

  async function run<T>(what: string, task: () => Promise<T>): Promise<T | null> {
    busy.value = true
    try {
      return await task()
    } catch (e) {
      const detail =
        e instanceof ApiError && e.issues?.length
          ? `${e.issues[0].path}: ${e.issues[0].message}`
          : errorMessage(e)
      status.value = { kind: 'error', text: `${what} failed: ${detail}` }
      return null
    } finally {
      busy.value = false
    }
  }

  /** Saves to the library: replaces the saved copy, or creates one (`asCopy` always creates). */
  async function save(asCopy = false): Promise<SavedTopology | null> {
    if (issues.value.length > 0) {
      const n = issues.value.length
      status.value = {
        kind: 'error',
        text: `Not saved: fix ${n} problem${n > 1 ? 's' : ''} first (${issues.value[0].path}: ${issues.value[0].message})`,
      }
      return null
    }
    const id = asCopy ? undefined : (savedId.value ?? undefined)
    const file = exportTopology(topology.value)
    const saved = await run('Save', () => client.call('topology.save', { id, topology: file }))
    if (!saved) return null
    savedId.value = saved.id
    savedText.value = JSON.stringify(file, null, 2) + '\n'
    status.value = { kind: 'info', text: `Saved "${saved.name}" to the library (#${saved.id})` }
    return saved
  }

  async function open(id: number): Promise<boolean> {
    const saved = await run('Open', () => client.call('topology.get', { id }))
    if (!saved) return false
    load(saved.topology, saved)
    status.value = { kind: 'info', text: `Opened "${saved.name}"` }
    return true
  }

  async function openPreset(presetId: string): Promise<boolean> {
    const presets = await run('Loading presets', () => client.call('topology.presets', {}))
    const preset = presets?.find((p) => p.id === presetId)
    if (!preset) {
      if (presets) status.value = { kind: 'error', text: `No preset "${presetId}"` }
      return false
    }
    load(preset.topology)
    status.value = { kind: 'info', text: `Started from preset "${preset.name}" (unsaved)` }
    return true
  }

  /** Imports a file through the host (validated and saved there) and opens the result. */
  async function importFile(fileName: string, text: string): Promise<FieldIssue[]> {
    const res = await run('Import', () => client.call('topology.import', { fileName, text }))
    if (!res) return []
    if (!res.ok) {
      status.value = {
        kind: 'error',
        text: `${fileName} was not imported: ${res.issues[0]?.path}: ${res.issues[0]?.message}`,
      }
      return res.issues
    }
    load(res.saved.topology, res.saved)
    status.value = {
      kind: 'info',
      text: res.note ? `${fileName}: ${res.note}` : `Imported ${fileName} as "${res.saved.name}"`,
    }
    return []
  }

  /** The current topology as a clean format file (no positions), for download. */
  function exportFile(): { fileName: string; text: string } {
    return { fileName: exportFileName(topology.value), text: exportText.value }
  }

  /** After the library renamed or deleted the open topology elsewhere. */
  function forgetSaved(): void {
    savedId.value = null
    savedText.value = null
  }

  return {
    history,
    document,
    topology,
    selection,
    clipboard,
    pendingLink,
    analysis,
    analysisIssues,
    analysisError,
    analysing,
    loadCount,
    savedId,
    savedText,
    busy,
    status,
    issues,
    issueCounts,
    exportText,
    dirty,
    undoable,
    redoable,
    selectedComponent,
    selectedLink,
    setSelection,
    addComponent,
    moveComponents,
    updateComponent,
    updateLink,
    changeLinkKind,
    setName,
    setDescription,
    requestLink,
    confirmLink,
    cancelLink,
    deleteSelection,
    copy,
    paste,
    undo,
    redo,
    layout,
    load,
    newDocument,
    unsavedWork,
    restoreDraft,
    analyze,
    save,
    open,
    openPreset,
    importFile,
    exportFile,
    forgetSaved,
  }
})

export type EditorStore = ReturnType<typeof useEditorStore>
